import { sql, type Selectable } from 'kysely';
import type { Anchor } from '../../domain/anchoring.js';
import type { Participant } from '../../domain/mentions.js';
import type { Comment, SortOrder } from '../../domain/types.js';
import { toComment, type CommentRow } from '../rows.js';
import type { CommentsTable } from '../schema.js';
import { type ArticleCount, articleCountOf } from './articles.js';
import { notBarePlaceholder, selectComments, shownTo } from './comment-select.js';
import { RecentByAuthor } from '../recent-by-author.js';
import { addReply, articleCount, insertComment, insertRevision, moveCount, type NewCommentRow, pgPostStatement, recentDuplicate } from './post-statements.js';
import { PostsTogether } from './posts-together.js';
import { Repository } from './repository.js';

export interface NewComment {
  articleId: number;
  parentId: number | null;
  rootId: number | null;
  depth: number;
  authorId: number;
  bodySrc: string;
  bodyHtml: string;
  status: 'visible' | 'pending';
  createdAt: Date;
  /** Why a posting rule held it, when it is pending. */
  moderationReason?: string | null;
  /** Selectors as posted and where they were found in the article's text. */
  anchor?: { selectors: Anchor; start: number; end: number } | null;
}

export interface TopLevelQuery {
  articleId: number;
  sort: SortOrder;
  /** Highest comment id included: the page's watermark. */
  maxId: number;
  /** Sort key and id of the last row already shown. */
  after: { key: number; id: number } | null;
  limit: number;
  viewerId: number | null;
}

export interface RepliesQuery {
  rootId: number;
  maxId: number;
  after: { time: number; id: number } | null;
  limit: number;
}

/** How many of an author's latest comments a new one is compared with for repeats (recentDuplicate). */
export const DUPLICATE_LOOKBACK = 20;
/**
 * Comments, their revisions and passage anchors, and every status change with the counters it
 * moves (the article's comment_count, the thread's reply_count). Reads for the posting rules
 * (an author's pace, duplicates) are here too.
 */
export class CommentsRepository extends Repository {
  /** Authors' latest comments, when a batch of posts loaded them (loadRecent). */
  private recent: RecentByAuthor | null = null;
  /** Articles whose count a batch of posts moves here and writes once (countLater, countLazily). */
  private readonly counts = new Map<number, { count: number; authorUserId: number | null; moved: number }>();
  /** Set by `countLazily`. */
  private countsLazily = false;
  /** A PostgreSQL batch's posts, written together (posts-together.ts); made at its first post. */
  private together: PostsTogether | null = null;

  // ---- reading -------------------------------------------------------------------------------------

  async byId(id: number): Promise<Comment | null> {
    const r = await selectComments(this.db).where('comments.id', '=', id).executeTakeFirst();
    return r ? toComment(r as CommentRow) : null;
  }

  async byIds(ids: readonly number[]): Promise<Comment[]> {
    if (ids.length === 0) return [];
    const rows = await selectComments(this.db)
      .where('comments.id', 'in', [...ids])
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Every comment the user wrote, in any status, oldest first. */
  async byAuthor(userId: number): Promise<Comment[]> {
    const rows = await selectComments(this.db).where('comments.author_id', '=', userId).orderBy('comments.id').execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Highest comment id so far: the watermark that fixes a reader's pages. */
  async maxId(): Promise<number> {
    const r = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.max('id').as('m'))
      .executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  /**
   * A page's watermark (`comments.id <= maxId`) that SQLite does not take for the way in: with the
   * article it matches `comments_article (article_id, id)`, and without statistics SQLite chose
   * that index over the sort's own, reading every comment of the article to sort them. The first
   * page of a 1,000,000-comment thread took 430–600 ms so, 1–3 ms with the sort's index. The
   * unary plus leaves the condition as it was but keeps it off any index.
   */
  private belowWatermark(maxId: number) {
    const id = this.dialect === 'sqlite' ? sql<number>`+comments.id` : sql<number>`comments.id`;
    return sql<boolean>`${id} <= ${maxId}`;
  }

  async topLevel(q: TopLevelQuery): Promise<Comment[]> {
    let query = selectComments(this.db)
      .where('comments.article_id', '=', q.articleId)
      .where('comments.depth', '=', 0)
      .where(this.belowWatermark(q.maxId))
      // Pinned comments come first on the first page (pinnedTopLevel), so the pages skip them.
      .where(sql<boolean>`comments.pinned = 0`)
      .where((eb) => shownTo(eb, q.viewerId))
      .where((eb) => notBarePlaceholder(eb, q.viewerId));
    const a = q.after;
    switch (q.sort) {
      case 'top':
        if (a) query = query.where(sql<boolean>`(comments.rank_score, comments.id) < (${a.key}, ${a.id})`);
        query = query.orderBy('comments.rank_score', 'desc').orderBy('comments.id', 'desc');
        break;
      case 'newest':
        if (a) query = query.where(sql<boolean>`(comments.created_at, comments.id) < (${a.key}, ${a.id})`);
        query = query.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc');
        break;
      case 'oldest':
        if (a) query = query.where(sql<boolean>`(comments.created_at, comments.id) > (${a.key}, ${a.id})`);
        query = query.orderBy('comments.created_at', 'asc').orderBy('comments.id', 'asc');
        break;
    }
    const rows = await query.limit(q.limit).execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /**
   * An article's editors' picks at any depth, newest pick first, by keyset on (featured_at, id);
   * `featured_at is not null` is literal so the partial index applies. Only comments readers see.
   */
  async featured(q: { articleId: number; maxId: number; after: { key: number; id: number } | null; limit: number }): Promise<Comment[]> {
    let query = selectComments(this.db)
      .where('comments.article_id', '=', q.articleId)
      .where(sql<boolean>`comments.featured_at is not null`)
      .where(this.belowWatermark(q.maxId))
      .where('comments.status', '=', 'visible');
    if (q.after) query = query.where(sql<boolean>`(comments.featured_at, comments.id) < (${q.after.key}, ${q.after.id})`);
    const rows = await query.orderBy('comments.featured_at', 'desc').orderBy('comments.id', 'desc').limit(q.limit).execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** An article's pinned top-level comments, oldest pin first; `pinned = 1` is literal so the partial index applies. */
  async pinnedTopLevel(articleId: number, maxId: number, viewerId: number | null): Promise<Comment[]> {
    const rows = await selectComments(this.db)
      .where('comments.article_id', '=', articleId)
      .where(sql<boolean>`comments.pinned = 1`)
      .where('comments.depth', '=', 0)
      .where(this.belowWatermark(maxId))
      .where((eb) => shownTo(eb, viewerId))
      .where((eb) => notBarePlaceholder(eb, viewerId))
      .orderBy('comments.id')
      .limit(50)
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /**
   * The next replies of several threads in one round trip: one index range scan per thread,
   * joined with UNION ALL, so a page costs the same however long its threads are. `skip` names
   * replies to leave out (deleted placeholders with nothing left beneath them: see bareReplies).
   */
  async replies(queries: readonly RepliesQuery[], viewerId: number | null, skip: readonly number[] = []): Promise<Comment[]> {
    if (queries.length === 0) return [];
    const one = (q: RepliesQuery) => {
      let query = selectComments(this.db)
        .where('comments.root_id', '=', q.rootId)
        .where('comments.id', '<=', q.maxId)
        .where((eb) => shownTo(eb, viewerId));
      if (skip.length) query = query.where('comments.id', 'not in', [...skip]);
      if (q.after) query = query.where(sql<boolean>`(comments.created_at, comments.id) > (${q.after.time}, ${q.after.id})`);
      return query.orderBy('comments.created_at', 'asc').orderBy('comments.id', 'asc').limit(q.limit);
    };
    const [first, ...rest] = queries;
    const uniform = queries.every((q) => q.after === null && q.maxId === first!.maxId && q.limit === first!.limit);
    if (this.dialect === 'postgres' && uniform && queries.length > 1) {
      // One small plan however many threads: PostgreSQL plans a 20-way UNION slower than it runs it.
      const inner = selectComments(this.db)
        .where('comments.root_id', '=', sql.ref<number>('roots.id'))
        .where('comments.id', '<=', first!.maxId)
        .where((eb) => shownTo(eb, viewerId))
        .where((eb) => (skip.length ? eb('comments.id', 'not in', [...skip]) : eb.lit(true)))
        .orderBy('comments.created_at', 'asc')
        .orderBy('comments.id', 'asc')
        .limit(first!.limit);
      const ids = queries.map((q) => q.rootId);
      const { rows } = await sql<CommentRow>`select t.* from unnest(${ids}::bigint[]) as roots(id) cross join lateral (${inner}) as t`.execute(this.db);
      return rows.map(toComment);
    }
    let union = this.db.selectFrom(one(first!).as('t0')).selectAll();
    rest.forEach((q, n) => {
      union = union.unionAll(this.db.selectFrom(one(q).as(`t${n + 1}`)).selectAll());
    });
    const rows = await union.execute();
    return rows.map((r) => toComment(r as unknown as CommentRow));
  }

  /**
   * The deleted replies of these threads with nothing beneath them a reader could see (at any
   * depth): their placeholders would be empty rows, so the pages leave them out. Only deleted
   * replies and their direct answers are read, not whole threads.
   */
  async bareReplies(rootIds: readonly number[], viewerId: number | null): Promise<{ id: number; rootId: number; createdAt: number }[]> {
    if (rootIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('comments')
      .select(['id', 'parent_id', 'root_id', 'status', 'author_id', 'created_at'])
      .where('root_id', 'in', [...rootIds])
      .where((eb) =>
        eb.or([
          eb('status', '=', 'deleted'),
          eb(
            'parent_id',
            'in',
            eb
              .selectFrom('comments as d')
              .select('d.id')
              .where('d.root_id', 'in', [...rootIds])
              .where('d.status', '=', 'deleted'),
          ),
        ]),
      )
      .execute();
    const deleted = rows.filter((r) => r.status === 'deleted');
    const seen = (r: (typeof rows)[number]) => r.status === 'visible' || (r.status === 'pending' && viewerId !== null && Number(r.author_id) === viewerId);
    // A placeholder is kept when an answer beneath it is seen or is itself a kept placeholder.
    const kept = new Set<number>();
    for (let grew = true; grew; ) {
      grew = false;
      for (const d of deleted) {
        if (kept.has(Number(d.id))) continue;
        if (rows.some((r) => Number(r.parent_id) === Number(d.id) && (seen(r) || kept.has(Number(r.id))))) {
          kept.add(Number(d.id));
          grew = true;
        }
      }
    }
    return deleted.filter((d) => !kept.has(Number(d.id))).map((d) => ({ id: Number(d.id), rootId: Number(d.root_id), createdAt: Number(d.created_at) }));
  }

  /** The ids of an article's visible comments, newest first. */
  async visibleIds(articleId: number, limit: number): Promise<number[]> {
    // The article's own index (017), newest first; the status is checked on the rows it gives.
    const rows = await this.db
      .selectFrom('comments')
      .select('id')
      .where('article_id', '=', articleId)
      .where(sql<string>`status || ''`, '=', 'visible')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.id));
  }

  /** Replies of a thread readers see, up to and including the one at `upTo` in time order. */
  async countReplies(rootId: number, maxId: number, upTo: { time: number; id: number }, includePending = false): Promise<number> {
    const r = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('root_id', '=', rootId)
      .where('id', '<=', maxId)
      .where('status', 'in', includePending ? ['visible', 'deleted', 'pending'] : ['visible', 'deleted'])
      .where(sql<boolean>`(created_at, id) <= (${upTo.time}, ${upTo.id})`)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** A reader's own comments awaiting moderation under an article, newest first. */
  async pendingBy(authorId: number, articleId: number, limit: number): Promise<Comment[]> {
    // Asked on every signed-in reader's page, and nearly always empty: a probe on the index of
    // pending comments (migration 020) spares the joined select. Its status term is a literal,
    // not a parameter, because SQLite uses a partial index only when the query's terms imply it.
    const any = await this.db
      .selectFrom('comments')
      .select('id')
      .where('author_id', '=', authorId)
      .where('article_id', '=', articleId)
      .where(sql<boolean>`status = 'pending'`)
      .limit(1)
      .executeTakeFirst();
    if (!any) return [];
    const rows = await selectComments(this.db)
      .where('comments.author_id', '=', authorId)
      .where('comments.article_id', '=', articleId)
      .where(sql<boolean>`comments.status = 'pending'`)
      .orderBy('comments.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Passage comments in article order, orphans last, for the Inline Feedbacks list. */
  async passages(articleId: number, viewerId: number | null, limit: number): Promise<Comment[]> {
    const rows = await selectComments(this.db)
      .where('comments.article_id', '=', articleId)
      .where('comments.anchor_status', 'in', ['anchored', 'orphaned'])
      .where((eb) => shownTo(eb, viewerId))
      .orderBy('comments.anchor_status', 'asc')
      .orderBy('comments.anchor_start', 'asc')
      .orderBy('comments.id', 'asc')
      .limit(limit)
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /**
   * Readers with a published comment under an article (or, with `rootId`, in that thread), each
   * with their latest such comment, most recent first: whom a `@` may name. `names` keeps exact
   * display names only; `prefix` those starting so (case-insensitively for ASCII letters).
   */
  async participants(q: { articleId: number; rootId?: number | null; names?: readonly string[]; prefix?: string; limit: number }): Promise<Participant[]> {
    if (q.names && q.names.length === 0) return [];
    let query = this.db
      .selectFrom('comments')
      .innerJoin('users', 'users.id', 'comments.author_id')
      .select(['comments.author_id', 'users.display_name'])
      .select((eb) => eb.fn.max('comments.id').as('comment_id'))
      .where('comments.article_id', '=', q.articleId)
      .where('comments.status', '=', 'visible');
    if (q.rootId != null) {
      const root = q.rootId;
      query = query.where((eb) => eb.or([eb('comments.root_id', '=', root), eb('comments.id', '=', root)]));
    }
    if (q.names) query = query.where('users.display_name', 'in', [...q.names]);
    if (q.prefix) {
      const like = `${q.prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`lower(users.display_name) like ${like} escape '\\'`);
    }
    const rows = await query.groupBy(['comments.author_id', 'users.display_name']).orderBy('comment_id', 'desc').limit(q.limit).execute();
    return rows.map((r) => ({ userId: Number(r.author_id), name: r.display_name, commentId: Number(r.comment_id) }));
  }

  // ---- writing and revisions -----------------------------------------------------------------------

  /** Inserts a comment with its first revision and moves the counters it affects. */
  async insert(c: NewComment): Promise<number> {
    const { id } = await this.db.insertInto('comments').values(commentValues(c)).returning('id').executeTakeFirstOrThrow();
    await this.addRevision(Number(id), c.bodySrc, c.authorId, c.createdAt);
    if (c.status === 'visible') await this.countVisible(c.articleId, c.rootId, 1);
    return Number(id);
  }

  /**
   * A reader's post: `insert`, answering with the comment as readers see it and its article's
   * count without reading either again. `names` are the author's and, for a reply, the parent
   * author's (a parent one may reply to is visible, so `Reply to` names them). On PostgreSQL the
   * comment, its revision and both counters are one statement, and a batch's posts that are ready
   * at once share one (posts-together.ts): posts into one article queue behind its lock, and each
   * round trip there is paid by all of them.
   */
  async post(c: NewComment, names: { author: string; replyTo: string | null }): Promise<{ comment: Comment; commentCount: number }> {
    const delta = c.status === 'visible' ? 1 : 0;
    const withNames = (row: Selectable<CommentsTable>, articleAuthor: number | null) =>
      toComment({
        ...row,
        author_name: names.author,
        editor_name: null,
        reply_to_name: names.replyTo,
        by_article_author: articleAuthor !== null && Number(articleAuthor) === c.authorId,
      });
    if (this.dialect === 'postgres') {
      const later = this.counts.get(c.articleId);
      let answer: { comment: Comment; commentCount: number };
      if (later) {
        const row = await (this.together ??= new PostsTogether(this.db)).write(commentValues(c));
        later.moved += delta;
        answer = { comment: withNames(row, later.authorUserId), commentCount: later.count + later.moved };
      } else {
        const { comment_count, author_user_id, ...row } = await this.preparedOne(pgPostStatement(delta), { ...commentValues(c), rootOrZero: c.rootId ?? 0 });
        answer = { comment: withNames(row, author_user_id), commentCount: Number(comment_count) };
      }
      this.recent?.add(c.authorId, { id: answer.comment.id, body: c.bodySrc, createdAt: c.createdAt.getTime() });
      return answer;
    }
    const later = this.countsLazily ? await this.countOf(c.articleId) : undefined;
    const row = await this.preparedOne(insertComment, commentValues(c));
    await this.addRevision(Number(row.id), c.bodySrc, c.authorId, c.createdAt);
    if (delta > 0 && c.rootId !== null) await this.prepared(addReply, { rootId: c.rootId, delta });
    if (later) {
      later.moved += delta;
      return { comment: withNames(row, later.authorUserId), commentCount: later.count + later.moved };
    }
    const a = await this.preparedOne(moveCount, { articleId: c.articleId, delta });
    return { comment: withNames(row, a.author_user_id), commentCount: Number(a.comment_count) };
  }

  async edit(id: number, bodySrc: string, bodyHtml: string, editorId: number, now: Date): Promise<void> {
    await this.db
      .updateTable('comments')
      .set({ body_src: bodySrc, body_html: bodyHtml, edited_at: now.getTime(), edited_by: editorId })
      .where('id', '=', id)
      .execute();
    await this.addRevision(id, bodySrc, editorId, now);
  }

  /** Leaves a placeholder: the words go, the row stays so its replies keep their place. */
  async delete(c: Comment, now: Date): Promise<void> {
    await this.db.updateTable('comments').set({ status: 'deleted', body_src: '', body_html: '', edited_at: now.getTime() }).where('id', '=', c.id).execute();
    if (c.status === 'visible') await this.countVisible(c.articleId, null, -1);
  }

  private async addRevision(commentId: number, bodySrc: string, editorId: number, at: Date): Promise<void> {
    await this.prepared(insertRevision, { commentId, bodySrc, editorId, at: at.getTime() });
  }

  async revisionsOf(commentId: number): Promise<{ bodySrc: string; editorId: number; createdAt: Date }[]> {
    const rows = await this.db.selectFrom('comment_revisions').selectAll().where('comment_id', '=', commentId).orderBy('id').execute();
    return rows.map((r) => ({ bodySrc: r.body_src, editorId: Number(r.editor_id), createdAt: new Date(Number(r.created_at)) }));
  }

  async revisionsOfMany(commentIds: readonly number[]): Promise<Map<number, { bodySrc: string; editorId: number; createdAt: Date }[]>> {
    const out = new Map<number, { bodySrc: string; editorId: number; createdAt: Date }[]>();
    if (commentIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('comment_revisions')
      .selectAll()
      .where('comment_id', 'in', [...commentIds])
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = out.get(Number(r.comment_id)) ?? [];
      list.push({ bodySrc: r.body_src, editorId: Number(r.editor_id), createdAt: new Date(Number(r.created_at)) });
      out.set(Number(r.comment_id), list);
    }
    return out;
  }

  /** Empties a comment readers never saw (pending or rejected) without turning it into a visible placeholder. */
  async eraseHidden(id: number): Promise<void> {
    await this.db
      .updateTable('comments')
      .set({ body_src: '', body_html: '', status: 'rejected' })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'rejected'])
      .execute();
  }

  async eraseRevisions(commentIds: readonly number[]): Promise<void> {
    if (commentIds.length > 0)
      await this.db
        .deleteFrom('comment_revisions')
        .where('comment_id', 'in', [...commentIds])
        .execute();
  }

  /** A thread's reply_count counts the rows readers see, so a deleted reply keeps its place. */
  private async countVisible(articleId: number, rootId: number | null, delta: number): Promise<void> {
    await this.db
      .updateTable('articles')
      .set((eb) => ({ comment_count: eb('comment_count', '+', delta) }))
      .where('id', '=', articleId)
      .execute();
    if (rootId !== null && delta > 0) {
      await this.db
        .updateTable('comments')
        .set((eb) => ({ reply_count: eb('reply_count', '+', delta) }))
        .where('id', '=', rootId)
        .execute();
    }
  }

  // ---- status changes by moderators ----------------------------------------------------------------

  /*
   * Status changes are conditional updates: of two moderators acting on one comment at once,
   * only the first changes anything, so counters move once.
   */

  /** Takes a visible comment out of view pending review; false if it was not visible. */
  async hold(id: number, reason: string, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('comments')
      .set({ status: 'pending', moderation_reason: reason, moderated_at: now.getTime(), moderated_by: null })
      .where('id', '=', id)
      .where('status', '=', 'visible')
      .returning(['article_id', 'root_id'])
      .executeTakeFirst();
    if (r) await this.moveVisible(Number(r.article_id), r.root_id === null ? null : Number(r.root_id), -1);
    return r !== undefined;
  }

  /** Publishes a held or rejected comment; false if it was neither. */
  async approve(id: number, by: number | null, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('comments')
      .set({ status: 'visible', moderation_reason: null, moderated_at: now.getTime(), moderated_by: by })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'rejected'])
      .returning(['article_id', 'root_id'])
      .executeTakeFirst();
    if (r) await this.moveVisible(Number(r.article_id), r.root_id === null ? null : Number(r.root_id), 1);
    return r !== undefined;
  }

  /** Rejects a visible or held comment; false if it was neither. */
  async reject(id: number, by: number | null, reason: string, now: Date): Promise<boolean> {
    const set = { status: 'rejected', moderation_reason: reason, moderated_at: now.getTime(), moderated_by: by, pinned: 0 };
    const wasVisible = await this.db
      .updateTable('comments')
      .set(set)
      .where('id', '=', id)
      .where('status', '=', 'visible')
      .returning(['article_id', 'root_id'])
      .executeTakeFirst();
    if (wasVisible) {
      await this.moveVisible(Number(wasVisible.article_id), wasVisible.root_id === null ? null : Number(wasVisible.root_id), -1);
      return true;
    }
    const wasPending = await this.db.updateTable('comments').set(set).where('id', '=', id).where('status', '=', 'pending').returning('id').executeTakeFirst();
    return wasPending !== undefined;
  }

  /** Rejects every held comment of one author (a ban clears them from the queue); their ids. */
  async rejectHeldBy(authorId: number, by: number, reason: string, now: Date): Promise<number[]> {
    const rows = await this.db
      .updateTable('comments')
      .set({ status: 'rejected', moderation_reason: reason, moderated_at: now.getTime(), moderated_by: by, pinned: 0 })
      .where('author_id', '=', authorId)
      .where('status', '=', 'pending')
      .returning('id')
      .execute();
    return rows.map((r) => Number(r.id));
  }

  /**
   * Moves the counters of a comment entering (+1) or leaving (-1) readers' view. Unlike a deleted
   * placeholder, a held or rejected comment leaves no row behind, so its thread's reply_count
   * moves too.
   */
  private async moveVisible(articleId: number, rootId: number | null, delta: 1 | -1): Promise<void> {
    await this.db
      .updateTable('articles')
      .set((eb) => ({ comment_count: eb('comment_count', '+', delta) }))
      .where('id', '=', articleId)
      .execute();
    if (rootId !== null) {
      await this.db
        .updateTable('comments')
        .set((eb) => ({ reply_count: eb('reply_count', '+', delta) }))
        .where('id', '=', rootId)
        .execute();
    }
  }

  async setPinned(id: number, pinned: boolean): Promise<void> {
    await this.db
      .updateTable('comments')
      .set({ pinned: pinned ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  /** Makes a comment an editors' pick (by `by`, at `now`) or takes it off the list (`by` null). */
  async setFeatured(id: number, by: number | null, now: Date): Promise<void> {
    await this.db
      .updateTable('comments')
      .set(by === null ? { featured_at: null, featured_by: null } : { featured_at: now.getTime(), featured_by: by })
      .where('id', '=', id)
      .execute();
  }

  async setLocked(id: number, locked: boolean): Promise<void> {
    await this.db
      .updateTable('comments')
      .set({ locked: locked ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  // ---- passage anchors -----------------------------------------------------------------------------

  async anchored(articleId: number): Promise<{ id: number; anchor: string }[]> {
    const rows = await this.db.selectFrom('comments').select(['id', 'anchor']).where('article_id', '=', articleId).where('anchor', 'is not', null).execute();
    return rows.map((r) => ({ id: Number(r.id), anchor: r.anchor! }));
  }

  /** Records where a passage is now, or that it could not be found (null: orphaned). */
  async setAnchorPlace(commentId: number, place: { start: number; end: number } | null): Promise<void> {
    await this.db
      .updateTable('comments')
      .set(place ? { anchor_start: place.start, anchor_end: place.end, anchor_status: 'anchored' } : { anchor_status: 'orphaned' })
      .where('id', '=', commentId)
      .execute();
  }

  // ---- an author's pace and repeats, for the posting rules -----------------------------------------

  /** How many of an author's comments are published, counting no further than `upTo`. */
  async publishedCount(authorId: number, upTo: number): Promise<number> {
    const rows = await this.db.selectFrom('comments').select('id').where('author_id', '=', authorId).where('status', '=', 'visible').limit(upTo).execute();
    return rows.length;
  }

  async lastCommentAt(authorId: number): Promise<Date | null> {
    const r = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.max('created_at').as('t'))
      .where('author_id', '=', authorId)
      .executeTakeFirst();
    return r?.t === null || r?.t === undefined ? null : new Date(Number(r.t));
  }

  /**
   * Reads, in one round trip, the latest comments of authors whose posting lock this transaction
   * holds, so each of their posts checks for repeats (recentDuplicate) without asking again.
   * PostgreSQL only: SQLite answers in-process, where a question costs no wait.
   */
  async loadRecent(authorIds: readonly number[]): Promise<void> {
    if (this.dialect !== 'postgres' || authorIds.length === 0) return;
    const { rows } = await sql<{ author_id: number; id: number; body_src: string; created_at: number }>`
      select a.author_id, r.id, r.body_src, r.created_at from unnest(${[...authorIds]}::bigint[]) as a(author_id)
      cross join lateral (select id, body_src, created_at from comments where author_id = a.author_id
                          order by created_at desc limit ${DUPLICATE_LOOKBACK}) r`.execute(this.db);
    this.recent ??= new RecentByAuthor(DUPLICATE_LOOKBACK);
    this.recent.load(
      authorIds,
      rows.map((r) => ({ authorId: Number(r.author_id), id: Number(r.id), body: r.body_src, createdAt: Number(r.created_at) })),
    );
  }

  /**
   * For a batch of posts sharing a transaction, on PostgreSQL: the article's count, read under
   * its lock (ArticlesRepository.lock), moves here with each post and is written once, by
   * `writeCounts` before the commit. Updating the row with every post left the next post a new
   * version of it to step over, and each post waited on the one before it for that.
   */
  countLater(articleId: number, locked: ArticleCount): void {
    this.counts.set(articleId, { count: locked.commentCount, authorUserId: locked.authorUserId, moved: 0 });
  }

  /**
   * For a batch of posts sharing a transaction, on SQLite: each article's count is read at its
   * batch's first post, moves here with every post and is written once by `writeCounts`, as on
   * PostgreSQL (countLater). SQLite's one writer keeps anyone else from changing it meanwhile; an
   * update of the row with every post was 5% of a post's CPU.
   */
  countLazily(): void {
    this.countsLazily = true;
  }

  private async countOf(articleId: number): Promise<{ count: number; authorUserId: number | null; moved: number } | undefined> {
    let c = this.counts.get(articleId);
    if (!c) {
      const [a] = await this.prepared(articleCount, { articleId });
      if (!a) return undefined;
      const { commentCount, authorUserId } = articleCountOf(a);
      c = { count: commentCount, authorUserId, moved: 0 };
      this.counts.set(articleId, c);
    }
    return c;
  }

  /** Writes what `countLater` and `countLazily` kept; the batch runs it after its posts. */
  async writeCounts(): Promise<void> {
    for (const [articleId, c] of this.counts) {
      if (c.moved !== 0)
        await this.db
          .updateTable('articles')
          .set((eb) => ({ comment_count: eb('comment_count', '+', c.moved) }))
          .where('id', '=', articleId)
          .execute();
    }
    this.counts.clear();
  }

  /**
   * The id of a comment by this author with exactly these words since `since`, if any, among
   * their last DUPLICATE_LOOKBACK comments: a post then costs the same however many its author
   * wrote in the window (comparing every one made each post of a flood slower than the last).
   */
  async recentDuplicate(authorId: number, bodySrc: string, since: Date): Promise<number | null> {
    if (this.recent?.knows(authorId)) return this.recent.matches(authorId, bodySrc, since.getTime())[0]?.id ?? null;
    const [r] = await this.prepared(recentDuplicate, { authorId, since: since.getTime(), lookback: DUPLICATE_LOOKBACK, body: bodySrc });
    return r === undefined ? null : Number(r.id);
  }
}

/** A new comment's row, with every counter at zero. */
function commentValues(c: NewComment): NewCommentRow {
  return {
    article_id: c.articleId,
    parent_id: c.parentId,
    root_id: c.rootId,
    depth: c.depth,
    author_id: c.authorId,
    body_src: c.bodySrc,
    body_html: c.bodyHtml,
    status: c.status,
    created_at: c.createdAt.getTime(),
    edited_at: null,
    edited_by: null,
    score: 0,
    up: 0,
    down: 0,
    reply_count: 0,
    moderation_reason: c.moderationReason ?? null,
    anchor: c.anchor ? JSON.stringify(c.anchor.selectors) : null,
    anchor_start: c.anchor?.start ?? null,
    anchor_end: c.anchor?.end ?? null,
    anchor_status: c.anchor ? 'anchored' : null,
  };
}
