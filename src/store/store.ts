import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { Article, Comment, CommentPolicy, Entitlement, EntitlementSource, EntitlementStatus, Role, SortOrder, User } from '../domain/types.js';
import type { VoteValue } from '../domain/votes.js';
import type { Anchor } from '../domain/anchoring.js';
import { voteDelta } from '../domain/votes.js';
import type { Dialect } from './connect.js';
import { toArticle, toComment, toEntitlement, toUser, type CommentRow } from './rows.js';
import type { Database, FollowsTable, OutboxTable } from './schema.js';

/** The article columns the content folder owns; `upsertArticle` rewrites a row only if one differs. */
const CONTENT_COLUMNS = ['url', 'title', 'standfirst', 'author', 'author_bio', 'author_handle', 'image', 'image_credit', 'published_at', 'body', 'comment_policy'] as const;

/** Tries of a transaction PostgreSQL aborted as a deadlock or serialisation victim. */
const TRANSACTION_ATTEMPTS = 4;

/** Outbox states a mail never leaves: only these may be deleted. */
const SETTLED_MAIL = ['sent', 'skipped', 'failed'];

/** Runs a bounded delete until it comes back short; other queries get the database in between. */
async function inBatches(batch: number, deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch();
    total += n;
    if (n < batch) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export type DiscussionEventType = 'comment.created' | 'comment.edited' | 'comment.deleted' | 'comment.voted';

/** An article as the content folder, the embed or an import describes it; the database adds the rest. */
export type ArticleInput = Omit<Article, 'id' | 'commentCount'>;

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

export type OutboxRow = Selectable<OutboxTable>;

/** What a keyed write answered: a hash of what it asked, the HTTP status and the JSON body. */
export interface IdempotentAnswer {
  fingerprint: string;
  status: number;
  response: string;
}

/** Namespace of the PostgreSQL advisory locks that serialise one author's posts. */
const AUTHOR_POSTS_LOCK = 0x7061726c; // 'parl'

export interface FollowRow {
  id: number;
  articleId: number;
  email: string;
  userId: number | null;
  confirmed: boolean;
  token: string;
}

const nullableId = (v: number | null) => (v === null ? null : Number(v));
const toOutbox = (r: OutboxRow): OutboxRow => ({ ...r, id: Number(r.id), user_id: nullableId(r.user_id), comment_id: nullableId(r.comment_id), follow_id: nullableId(r.follow_id) });

const toFollow = (r: Selectable<FollowsTable>): FollowRow => ({
  id: Number(r.id),
  articleId: Number(r.article_id),
  email: r.email,
  userId: r.user_id === null ? null : Number(r.user_id),
  confirmed: r.confirmed === 1,
  token: r.token,
});

export interface ReportRecord {
  id: number;
  commentId: number;
  reporterId: number;
  reporterName: string;
  reason: string;
  text: string;
  createdAt: Date;
}

export interface AuditRecord {
  id: number;
  actor: { id: number; name: string; email: string } | null;
  action: string;
  targetType: string;
  targetId: number | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface SessionRecord {
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

type CommentsEb = ExpressionBuilder<Database & { author: Database['users']; editor: Database['users']; parent: Database['comments']; parent_author: Database['users'] }, 'comments'>;

/** Readers see visible comments and deleted placeholders; authors also see their own pending ones. */
function shownTo(eb: CommentsEb, viewerId: number | null) {
  const shown = eb('comments.status', 'in', ['visible', 'deleted']);
  if (viewerId === null) return shown;
  return eb.or([shown, eb.and([eb('comments.status', '=', 'pending'), eb('comments.author_id', '=', viewerId)])]);
}

/**
 * The one storage interface. Kysely hides the dialect; the few places where SQLite and PostgreSQL
 * differ are in migrations and `connect.ts`. A Store bound to a transaction comes from `transaction`.
 */
export class Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {}

  /**
   * Runs `fn` in one transaction. On failure the caller gets the error that broke the transaction,
   * never the rollback's: SQLite rolls back by itself on SQLITE_FULL (and some I/O errors), so the
   * ROLLBACK that follows fails with "no transaction is active" and, thrown from Kysely's
   * `transaction().execute`, used to hide the disk-full error behind it.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    // PostgreSQL may abort one of two transactions that wait on each other (deadlock) or that
    // cannot be serialised; nothing of it was applied, so running it again is safe and the
    // reader never sees the collision.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(fn);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (attempt >= TRANSACTION_ATTEMPTS || (code !== '40P01' && code !== '40001')) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  private async once<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const trx = await this.db.startTransaction().execute();
    try {
      const result = await fn(new Store(trx, this.dialect));
      await trx.commit().execute();
      return result;
    } catch (err) {
      // The rollback releases the connection even when it fails. A rollback that finds nothing to
      // roll back is the expected case above; any other rollback failure goes along with `err`.
      if (!trx.isCommitted && !trx.isRolledBack) {
        await trx.rollback().execute().catch((rollbackError: unknown) => {
          if (/no transaction is active/.test(String(rollbackError))) return;
          if (err !== null && typeof err === 'object' && Object.isExtensible(err)) Object.assign(err, { rollbackError: String(rollbackError) });
        });
      }
      throw err;
    }
  }

  // ---- users -------------------------------------------------------------------------------

  async userById(id: number): Promise<User | null> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async userByEmail(email: string): Promise<User | null> {
    const r = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /** Returns the user with this email, creating it if new; concurrent callers get the same row. */
  async ensureUser(email: string, displayName: string, now: Date): Promise<User> {
    await this.db
      .insertInto('users')
      .values({ email: email.toLowerCase(), display_name: displayName, role: 'reader', created_at: now.getTime(), banned: 0, suspended_until: null })
      .onConflict((oc) => oc.column('email').doNothing())
      .execute();
    return (await this.userByEmail(email))!;
  }

  async setRole(userId: number, role: Role): Promise<void> {
    await this.db.updateTable('users').set({ role }).where('id', '=', userId).execute();
  }

  async setDisplayName(userId: number, name: string): Promise<void> {
    await this.db.updateTable('users').set({ display_name: name }).where('id', '=', userId).execute();
  }

  // ---- entitlements ------------------------------------------------------------------------

  async entitlementsOf(userId: number): Promise<Entitlement[]> {
    const rows = await this.db.selectFrom('entitlements').selectAll().where('user_id', '=', userId).execute();
    return rows.map(toEntitlement);
  }

  /**
   * Creates or replaces one entitlement. With `sourceUpdatedAt` (the source's own clock of this
   * state) an update older than the stored state changes nothing; returns whether it was written.
   */
  async putEntitlement(e: { userId: number; source: EntitlementSource; externalRef: string; status: EntitlementStatus; currentPeriodEnd: Date | null; now: Date; sourceUpdatedAt?: Date }): Promise<boolean> {
    const values = { status: e.status, current_period_end: e.currentPeriodEnd?.getTime() ?? null, updated_at: e.now.getTime(), source_updated_at: e.sourceUpdatedAt?.getTime() ?? null };
    const written = await this.db
      .insertInto('entitlements')
      .values({ user_id: e.userId, source: e.source, external_ref: e.externalRef, ...values })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'source', 'external_ref'])
          .doUpdateSet(values)
          .where((eb) => eb.or([eb('entitlements.source_updated_at', 'is', null), eb(eb.ref('excluded.source_updated_at'), 'is', null), eb('entitlements.source_updated_at', '<=', eb.ref('excluded.source_updated_at'))])),
      )
      .returning('id')
      .executeTakeFirst();
    return written !== undefined;
  }

  // ---- sessions and sign-in tokens ---------------------------------------------------------

  async createSession(idHash: string, userId: number, csrfToken: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id_hash: idHash, user_id: userId, csrf_token: csrfToken, created_at: now.getTime(), expires_at: expiresAt.getTime() })
      .execute();
  }

  async sessionByHash(idHash: string, now: Date): Promise<SessionRecord | null> {
    const r = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.csrf_token', 'sessions.expires_at'])
      .where('sessions.id_hash', '=', idHash)
      .where('sessions.expires_at', '>', now.getTime())
      .executeTakeFirst();
    if (!r) return null;
    return { user: toUser(r), csrfToken: r.csrf_token, expiresAt: new Date(Number(r.expires_at)) };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async createLoginToken(tokenHash: string, email: string, returnTo: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('login_tokens')
      .values({ token_hash: tokenHash, email: email.toLowerCase(), return_to: returnTo, created_at: now.getTime(), expires_at: expiresAt.getTime(), used_at: null })
      .execute();
  }

  /** Marks a sign-in token used and returns it, once: a second click finds nothing. */
  async consumeLoginToken(tokenHash: string, now: Date): Promise<{ email: string; returnTo: string } | null> {
    const r = await this.db
      .updateTable('login_tokens')
      .set({ used_at: now.getTime() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .returning(['email', 'return_to'])
      .executeTakeFirst();
    return r ? { email: r.email, returnTo: r.return_to } : null;
  }

  // ---- articles ----------------------------------------------------------------------------

  async upsertArticle(a: ArticleInput, now: Date): Promise<Article> {
    const values = {
      url: a.url,
      title: a.title,
      standfirst: a.standfirst,
      author: a.author,
      author_bio: a.authorBio,
      author_handle: a.authorHandle,
      image: a.image,
      image_credit: a.imageCredit,
      published_at: a.publishedAt.getTime(),
      body: a.body,
      comment_policy: a.commentPolicy,
      updated_at: now.getTime(),
    };
    // Unchanged articles are not rewritten: start-up loads the content folder every time and must
    // not need to write, so a node on a full disk still starts and serves reads. An update that
    // matches no row writes nothing; an INSERT ... ON CONFLICT would (SQLite's AUTOINCREMENT).
    const existing = await this.db.selectFrom('articles').select('id').where('slug', '=', a.slug).executeTakeFirst();
    if (existing) {
      await this.db
        .updateTable('articles')
        .set(values)
        .where('id', '=', existing.id)
        .where((eb) => eb.or(CONTENT_COLUMNS.map((c) => eb(c, 'is distinct from', values[c]))))
        .execute();
    } else {
      await this.db.insertInto('articles').values({ slug: a.slug, comment_count: 0, ...values }).onConflict((oc) => oc.column('slug').doUpdateSet(values)).execute();
    }
    return (await this.articleBySlug(a.slug))!;
  }

  async articleBySlug(slug: string): Promise<Article | null> {
    const r = await this.db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r ? toArticle(r) : null;
  }

  async articleById(id: number): Promise<Article | null> {
    const r = await this.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toArticle(r) : null;
  }

  async listArticles(limit: number): Promise<Article[]> {
    const rows = await this.db.selectFrom('articles').selectAll().orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toArticle);
  }

  // ---- comments ----------------------------------------------------------------------------

  private comments() {
    return this.db
      .selectFrom('comments')
      .innerJoin('users as author', 'author.id', 'comments.author_id')
      .leftJoin('users as editor', 'editor.id', 'comments.edited_by')
      .leftJoin('comments as parent', 'parent.id', 'comments.parent_id')
      .leftJoin('users as parent_author', 'parent_author.id', 'parent.author_id')
      .selectAll('comments')
      .select(['author.display_name as author_name', 'editor.display_name as editor_name'])
      // A deleted parent names nobody, so `Reply to` must not name its author either.
      .select(sql<string | null>`case when parent.status = 'deleted' then null else parent_author.display_name end`.as('reply_to_name'));
  }

  async commentById(id: number): Promise<Comment | null> {
    const r = await this.comments().where('comments.id', '=', id).executeTakeFirst();
    return r ? toComment(r as CommentRow) : null;
  }

  async commentsByIds(ids: readonly number[]): Promise<Comment[]> {
    if (ids.length === 0) return [];
    const rows = await this.comments().where('comments.id', 'in', [...ids]).execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Inserts a comment with its first revision and moves the counters it affects. */
  async insertComment(c: NewComment): Promise<number> {
    const { id } = await this.db
      .insertInto('comments')
      .values({
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
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.addRevision(Number(id), c.bodySrc, c.authorId, c.createdAt);
    if (c.status === 'visible') await this.countVisible(c.articleId, c.rootId, 1);
    return Number(id);
  }

  private async addRevision(commentId: number, bodySrc: string, editorId: number, at: Date): Promise<void> {
    await this.db.insertInto('comment_revisions').values({ comment_id: commentId, body_src: bodySrc, editor_id: editorId, created_at: at.getTime() }).execute();
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

  async editComment(id: number, bodySrc: string, bodyHtml: string, editorId: number, now: Date): Promise<void> {
    await this.db
      .updateTable('comments')
      .set({ body_src: bodySrc, body_html: bodyHtml, edited_at: now.getTime(), edited_by: editorId })
      .where('id', '=', id)
      .execute();
    await this.addRevision(id, bodySrc, editorId, now);
  }

  async revisionsOf(commentId: number): Promise<{ bodySrc: string; editorId: number; createdAt: Date }[]> {
    const rows = await this.db.selectFrom('comment_revisions').selectAll().where('comment_id', '=', commentId).orderBy('id').execute();
    return rows.map((r) => ({ bodySrc: r.body_src, editorId: Number(r.editor_id), createdAt: new Date(Number(r.created_at)) }));
  }

  /** Leaves a placeholder: the words go, the row stays so its replies keep their place. */
  async deleteComment(c: Comment, now: Date): Promise<void> {
    await this.db
      .updateTable('comments')
      .set({ status: 'deleted', body_src: '', body_html: '', edited_at: now.getTime() })
      .where('id', '=', c.id)
      .execute();
    if (c.status === 'visible') await this.countVisible(c.articleId, null, -1);
  }

  /** Highest comment id so far: the watermark that fixes a reader's pages. */
  async maxCommentId(): Promise<number> {
    const r = await this.db.selectFrom('comments').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  async topLevel(q: TopLevelQuery): Promise<Comment[]> {
    let query = this.comments()
      .where('comments.article_id', '=', q.articleId)
      .where('comments.depth', '=', 0)
      .where('comments.id', '<=', q.maxId)
      // Pinned comments come first on the first page (pinnedTopLevel), so the pages skip them.
      .where(sql<boolean>`comments.pinned = 0`)
      .where((eb) => shownTo(eb, q.viewerId));
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
   * The next replies of several threads in one round trip: one index range scan per thread,
   * joined with UNION ALL, so a page costs the same however long its threads are.
   */
  async replies(queries: readonly RepliesQuery[], viewerId: number | null): Promise<Comment[]> {
    if (queries.length === 0) return [];
    const one = (q: RepliesQuery) => {
      let query = this.comments()
        .where('comments.root_id', '=', q.rootId)
        .where('comments.id', '<=', q.maxId)
        .where((eb) => shownTo(eb, viewerId));
      if (q.after) query = query.where(sql<boolean>`(comments.created_at, comments.id) > (${q.after.time}, ${q.after.id})`);
      return query.orderBy('comments.created_at', 'asc').orderBy('comments.id', 'asc').limit(q.limit);
    };
    const [first, ...rest] = queries;
    const uniform = queries.every((q) => q.after === null && q.maxId === first!.maxId && q.limit === first!.limit);
    if (this.dialect === 'postgres' && uniform && queries.length > 1) {
      // One small plan however many threads: PostgreSQL plans a 20-way UNION slower than it runs it.
      const inner = this.comments()
        .where('comments.root_id', '=', sql.ref<number>('roots.id'))
        .where('comments.id', '<=', first!.maxId)
        .where((eb) => shownTo(eb, viewerId))
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

  // ---- discussion events --------------------------------------------------------------------

  /**
   * Logs an event and returns its id, which is its place in the article's log. The UPDATE takes
   * the article row's lock until commit, so events of one article commit in id order and a reader
   * that has seen id n has seen everything before it (see migration 011). Call inside a transaction.
   */
  async appendEvent(articleId: number, type: DiscussionEventType, commentId: number, now: Date): Promise<number> {
    const { event_seq } = await this.db
      .updateTable('articles')
      .set((eb) => ({ event_seq: eb('event_seq', '+', 1) }))
      .where('id', '=', articleId)
      .returning('event_seq')
      .executeTakeFirstOrThrow();
    const seq = Number(event_seq);
    await this.db.insertInto('events').values({ article_id: articleId, type, comment_id: commentId, created_at: now.getTime(), seq }).execute();
    return seq;
  }

  /** Serialises changes to one article's discussion until commit; SQLite's single writer already does. */
  async lockArticle(articleId: number): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await this.db.selectFrom('articles').select('id').where('id', '=', articleId).forUpdate().execute();
  }

  async eventsSince(articleId: number, afterId: number, limit: number): Promise<{ id: number; type: DiscussionEventType; commentId: number }[]> {
    const rows = await this.db.selectFrom('events').select(['seq', 'type', 'comment_id']).where('article_id', '=', articleId).where('seq', '>', afterId).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ id: Number(r.seq), type: r.type as DiscussionEventType, commentId: Number(r.comment_id) }));
  }

  async lastEventId(articleId: number): Promise<number> {
    const r = await this.db.selectFrom('articles').select('event_seq').where('id', '=', articleId).executeTakeFirst();
    return Number(r?.event_seq ?? 0);
  }

  /**
   * The id of the oldest event still kept for the article, or null when none is: a live client
   * that resumes from before it missed events that retention deleted, and must reload instead.
   */
  async oldestEventId(articleId: number): Promise<number | null> {
    const [first] = await this.eventsSince(articleId, 0, 1);
    return first ? first.id : null;
  }

  /**
   * Deletes events written before `before`, at most `batch` rows per statement, so a large
   * backlog never holds the write lock for long; returns how many went.
   */
  async pruneEvents(before: Date, batch: number): Promise<number> {
    const t = before.getTime();
    const below = await this.firstIdSince('events', t);
    return inBatches(batch, async () => {
      let old = this.db.selectFrom('events').select('id').where('created_at', '<', t).orderBy('id').limit(batch);
      if (below !== null) old = old.where('id', '<', below);
      return Number((await this.db.deleteFrom('events').where('id', 'in', old).executeTakeFirst()).numDeletedRows);
    });
  }

  /**
   * Ids grow with time, so rows older than `t` sit below the first newer row's id: bounding the
   * deletes by it keeps each batch a short walk of the primary key rather than a scan of every
   * recent row, there being no index on `created_at`.
   */
  private async firstIdSince(table: 'events' | 'outbox', t: number): Promise<number | null> {
    const r = await this.db.selectFrom(table).select('id').where('created_at', '>=', t).orderBy('id').limit(1).executeTakeFirst();
    return r ? Number(r.id) : null;
  }

  // ---- follows and the mail outbox ------------------------------------------------------------

  async followOf(articleId: number, email: string): Promise<FollowRow | null> {
    const r = await this.db.selectFrom('follows').selectAll().where('article_id', '=', articleId).where('email', '=', email.toLowerCase()).executeTakeFirst();
    return r ? toFollow(r) : null;
  }

  async followById(id: number): Promise<FollowRow | null> {
    const r = await this.db.selectFrom('follows').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toFollow(r) : null;
  }

  async followByToken(token: string): Promise<FollowRow | null> {
    const r = await this.db.selectFrom('follows').selectAll().where('token', '=', token).executeTakeFirst();
    return r ? toFollow(r) : null;
  }

  /** Creates the follow or returns the existing one; `confirmed` only ever turns on here. */
  async putFollow(f: { articleId: number; email: string; userId: number | null; confirmed: boolean; token: string; now: Date }): Promise<FollowRow> {
    await this.db
      .insertInto('follows')
      .values({ article_id: f.articleId, email: f.email.toLowerCase(), user_id: f.userId, confirmed: f.confirmed ? 1 : 0, token: f.token, created_at: f.now.getTime() })
      .onConflict((oc) => oc.columns(['article_id', 'email']).doNothing())
      .execute();
    if (f.confirmed) await this.db.updateTable('follows').set({ confirmed: 1, user_id: f.userId }).where('article_id', '=', f.articleId).where('email', '=', f.email.toLowerCase()).execute();
    return (await this.followOf(f.articleId, f.email))!;
  }

  async confirmFollow(id: number): Promise<void> {
    await this.db.updateTable('follows').set({ confirmed: 1 }).where('id', '=', id).execute();
  }

  async deleteFollow(id: number): Promise<void> {
    await this.db.deleteFrom('follows').where('id', '=', id).execute();
  }

  /** Confirmed followers of an article with what the rules need to know about each. */
  async articleFollowers(articleId: number, now: Date): Promise<{ followId: number; email: string; userId: number | null; suspended: boolean; digest: string }[]> {
    const rows = await this.db
      .selectFrom('follows')
      .leftJoin('users', 'users.id', 'follows.user_id')
      .select(['follows.id', 'follows.email', 'follows.user_id', 'users.banned', 'users.suspended_until', 'users.digest'])
      .where('follows.article_id', '=', articleId)
      .where('follows.confirmed', '=', 1)
      .execute();
    return rows.map((r) => ({
      followId: Number(r.id),
      email: r.email,
      userId: r.user_id === null ? null : Number(r.user_id),
      suspended: r.banned === 1 || (r.suspended_until !== null && Number(r.suspended_until) > now.getTime()),
      digest: r.digest ?? 'instant',
    }));
  }

  async notificationPrefs(userId: number): Promise<{ replies: boolean; digest: 'instant' | 'daily'; token: string | null }> {
    const r = await this.db.selectFrom('users').select(['notify_replies', 'digest', 'notify_token']).where('id', '=', userId).executeTakeFirstOrThrow();
    return { replies: r.notify_replies === 1, digest: r.digest === 'daily' ? 'daily' : 'instant', token: r.notify_token };
  }

  async setNotificationPrefs(userId: number, p: { replies?: boolean; digest?: 'instant' | 'daily'; token?: string }): Promise<void> {
    const set: { notify_replies?: number; digest?: string; notify_token?: string } = {};
    if (p.replies !== undefined) set.notify_replies = p.replies ? 1 : 0;
    if (p.digest !== undefined) set.digest = p.digest;
    if (p.token !== undefined) set.notify_token = p.token;
    if (Object.keys(set).length) await this.db.updateTable('users').set(set).where('id', '=', userId).execute();
  }

  async userByNotifyToken(token: string): Promise<User | null> {
    const r = await this.db.selectFrom('users').selectAll().where('notify_token', '=', token).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /** Queues a mail unless one with the same key exists: retried hooks never mail twice. */
  async enqueueMail(m: { kind: string; recipient: string; userId: number | null; commentId: number | null; followId: number | null; dedupeKey: string; dueAt: Date; now: Date }): Promise<void> {
    await this.db
      .insertInto('outbox')
      .values({ kind: m.kind, recipient: m.recipient, user_id: m.userId, comment_id: m.commentId, follow_id: m.followId, dedupe_key: m.dedupeKey, status: 'pending', attempts: 0, next_attempt_at: m.dueAt.getTime(), claimed_until: null, message_id: null, last_error: null, created_at: m.now.getTime(), sent_at: null })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }

  /**
   * Claims due mails for `leaseMs`. On PostgreSQL, FOR UPDATE SKIP LOCKED lets several nodes
   * claim side by side without taking the same row; SQLite has one writer, so a plain update
   * in a transaction is already exclusive.
   */
  async claimMail(now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
    const t = now.getTime();
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', t)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', t)]))
      .orderBy('id')
      .limit(limit);
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({ claimed_until: t + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', this.dialect === 'postgres' ? due.forUpdate().skipLocked() : due)
      .returningAll()
      .execute();
    return rows.map(toOutbox);
  }

  async finishMail(id: number, outcome: { status: 'sent' | 'skipped' | 'failed' | 'pending'; messageId?: string; error?: string; retryAt?: Date; now: Date }): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({
        status: outcome.status,
        message_id: outcome.messageId ?? null,
        last_error: outcome.error?.slice(0, 500) ?? null,
        claimed_until: null,
        ...(outcome.retryAt ? { next_attempt_at: outcome.retryAt.getTime() } : {}),
        ...(outcome.status === 'sent' ? { sent_at: outcome.now.getTime() } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Gives back claimed mails that were not sent, as if never claimed. */
  async releaseMail(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ claimed_until: null, attempts: eb('attempts', '-', 1) }))
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .where('claimed_until', 'is not', null)
      .execute();
  }

  /** A round trip to the database, for readiness checks. */
  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }

  /** Other due digest items of the same reader, folded into one mail with the claimed one. */
  async claimDigestSiblings(recipient: string, now: Date, leaseMs: number): Promise<OutboxRow[]> {
    const t = now.getTime();
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({ claimed_until: t + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('recipient', '=', recipient)
      .where('kind', 'like', 'digest:%')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', t)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', t)]))
      .returningAll()
      .execute();
    return rows.map(toOutbox);
  }

  async outboxRows(): Promise<OutboxRow[]> {
    return (await this.db.selectFrom('outbox').selectAll().orderBy('id').execute()).map(toOutbox);
  }

  /**
   * Deletes settled mails (sent, skipped, failed) queued before `before`, in batches like
   * `pruneEvents`. A pending mail stays whatever its age: it has not gone out yet.
   */
  async pruneOutbox(before: Date, batch: number): Promise<number> {
    const t = before.getTime();
    const below = await this.firstIdSince('outbox', t);
    return inBatches(batch, async () => {
      let old = this.db.selectFrom('outbox').select('id').where('status', 'in', SETTLED_MAIL).where('created_at', '<', t).orderBy('id').limit(batch);
      if (below !== null) old = old.where('id', '<', below);
      return Number((await this.db.deleteFrom('outbox').where('id', 'in', old).executeTakeFirst()).numDeletedRows);
    });
  }

  /** A reader's own comments awaiting moderation under an article, newest first. */
  async pendingBy(authorId: number, articleId: number, limit: number): Promise<Comment[]> {
    const rows = await this.comments()
      .where('comments.author_id', '=', authorId)
      .where('comments.article_id', '=', articleId)
      .where('comments.status', '=', 'pending')
      .orderBy('comments.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  // ---- passage anchors -------------------------------------------------------------------------

  async anchoredComments(articleId: number): Promise<{ id: number; anchor: string }[]> {
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

  /** Passage comments in article order, orphans last, for the Inline Feedbacks list. */
  async passageComments(articleId: number, viewerId: number | null, limit: number): Promise<Comment[]> {
    const rows = await this.comments()
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

  // ---- votes -------------------------------------------------------------------------------

  async voteOf(commentId: number, userId: number): Promise<VoteValue> {
    const r = await this.db.selectFrom('votes').select('value').where('comment_id', '=', commentId).where('user_id', '=', userId).executeTakeFirst();
    return (r?.value ?? 0) as VoteValue;
  }

  async votesOf(userId: number, commentIds: readonly number[]): Promise<Map<number, VoteValue>> {
    if (commentIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('votes').select(['comment_id', 'value']).where('user_id', '=', userId).where('comment_id', 'in', [...commentIds]).execute();
    return new Map(rows.map((r) => [Number(r.comment_id), r.value as VoteValue]));
  }

  /**
   * Sets one reader's vote and moves the comment's counters by the difference, in the caller's
   * transaction. The row lock taken by the counter update comes first, so two concurrent votes by
   * the same reader serialise instead of both reading the old value.
   *
   * `ranked` says whether this vote counts towards rank_score (the 'top' order); each vote row
   * remembers whether it did, so changing or retracting it later undoes exactly what it added.
   */
  async setVote(commentId: number, userId: number, value: VoteValue, now: Date, ranked = true): Promise<{ up: number; down: number; score: number }> {
    await this.db.updateTable('comments').set((eb) => ({ score: eb('score', '+', 0) })).where('id', '=', commentId).execute();
    const old = await this.db.selectFrom('votes').select(['value', 'ranked']).where('comment_id', '=', commentId).where('user_id', '=', userId).executeTakeFirst();
    const prev = (old?.value ?? 0) as VoteValue;
    if (prev !== value) {
      const rank = ranked ? 1 : 0;
      if (value === 0) {
        await this.db.deleteFrom('votes').where('comment_id', '=', commentId).where('user_id', '=', userId).execute();
      } else {
        await this.db
          .insertInto('votes')
          .values({ comment_id: commentId, user_id: userId, value, created_at: now.getTime(), ranked: rank })
          .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doUpdateSet({ value, created_at: now.getTime(), ranked: rank }))
          .execute();
      }
      const d = voteDelta(prev, value);
      const dRank = (value === 0 ? 0 : rank * value) - (old?.ranked === 1 ? prev : 0);
      await this.db
        .updateTable('comments')
        .set((eb) => ({ up: eb('up', '+', d.up), down: eb('down', '+', d.down), score: eb('score', '+', d.score), rank_score: eb('rank_score', '+', dRank) }))
        .where('id', '=', commentId)
        .execute();
    }
    const r = await this.db.selectFrom('comments').select(['up', 'down', 'score']).where('id', '=', commentId).executeTakeFirstOrThrow();
    return { up: r.up, down: r.down, score: r.score };
  }

  // ---- billing, metering, SSO and account self-service (issue 3) ------------------------------

  /** Records a Stripe event id; false if it was seen before, so a replay changes nothing. */
  async claimStripeEvent(id: string, type: string, now: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('stripe_events')
      .values({ id, type, processed_at: now.getTime() })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  }

  async stripeEventSeen(id: string): Promise<boolean> {
    return (await this.db.selectFrom('stripe_events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async linkStripeCustomer(customerId: string, userId: number, now: Date): Promise<void> {
    await this.db
      .insertInto('stripe_customers')
      .values({ customer_id: customerId, user_id: userId, created_at: now.getTime() })
      .onConflict((oc) => oc.column('customer_id').doNothing())
      .execute();
  }

  async userIdForStripeCustomer(customerId: string): Promise<number | null> {
    const r = await this.db.selectFrom('stripe_customers').select('user_id').where('customer_id', '=', customerId).executeTakeFirst();
    return r ? Number(r.user_id) : null;
  }

  /** The reader's most recent Stripe customer, for the billing portal and repeat checkouts. */
  async stripeCustomerOf(userId: number): Promise<string | null> {
    const r = await this.db.selectFrom('stripe_customers').select('customer_id').where('user_id', '=', userId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return r?.customer_id ?? null;
  }

  /** A shared setting; the first node to start stores `initial`, and every node reads the same value. */
  async settingOrInit(key: string, initial: string): Promise<string> {
    await this.db.insertInto('settings').values({ key, value: initial }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    return r.value;
  }

  async readsThisMonth(userId: number, month: string): Promise<number[]> {
    const rows = await this.db.selectFrom('article_reads').select('article_id').where('user_id', '=', userId).where('month', '=', month).execute();
    return rows.map((r) => Number(r.article_id));
  }

  async recordRead(userId: number, articleId: number, month: string, now: Date): Promise<void> {
    await this.db
      .insertInto('article_reads')
      .values({ user_id: userId, article_id: articleId, month, created_at: now.getTime() })
      .onConflict((oc) => oc.columns(['user_id', 'month', 'article_id']).doNothing())
      .execute();
  }

  /**
   * The user a publisher's SSO subject was seen with before sign-on kept identities (the subject
   * was only noted on the entitlement then); users bound since are not found here.
   */
  async userBySsoSubject(sub: string): Promise<User | null> {
    const r = await this.db
      .selectFrom('entitlements')
      .innerJoin('users', 'users.id', 'entitlements.user_id')
      .selectAll('users')
      .where('entitlements.source', '=', 'sso')
      .where('entitlements.external_ref', '=', sub)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('sso_identities').select('sso_identities.user_id').whereRef('sso_identities.user_id', '=', 'users.id'))))
      .orderBy('entitlements.id')
      .limit(1)
      .executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /** The account a publisher's (issuer, subject) is bound to. */
  async userBySsoIdentity(issuer: string, subject: string): Promise<User | null> {
    const r = await this.db
      .selectFrom('sso_identities')
      .innerJoin('users', 'users.id', 'sso_identities.user_id')
      .selectAll('users')
      .where('sso_identities.issuer', '=', issuer)
      .where('sso_identities.subject', '=', subject)
      .executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /** Binds (issuer, subject) to a user; false if it was already bound (to anyone). */
  async bindSsoIdentity(issuer: string, subject: string, userId: number, now: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('sso_identities')
      .values({ issuer, subject, user_id: userId, created_at: now.getTime() })
      .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    return r !== undefined;
  }

  /** A new reader with this email, or null if the address is taken (never someone else's row). */
  async createUser(email: string, displayName: string, now: Date): Promise<User | null> {
    const r = await this.db
      .insertInto('users')
      .values({ email: email.toLowerCase(), display_name: displayName, role: 'reader', created_at: now.getTime(), banned: 0, suspended_until: null })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
    return r ? this.userById(Number(r.id)) : null;
  }

  /** Records a used SSO token id (a hash of issuer and jti); false if it was used before. Expired records are swept on the way. */
  async useSsoToken(tokenHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    await this.db.deleteFrom('sso_tokens_used').where('expires_at', '<', now.getTime()).execute();
    const r = await this.db
      .insertInto('sso_tokens_used')
      .values({ token_hash: tokenHash, expires_at: expiresAt.getTime() })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .returning('token_hash')
      .executeTakeFirst();
    return r !== undefined;
  }

  async deleteSessionsOf(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async setEmail(userId: number, email: string): Promise<void> {
    await this.db.updateTable('users').set({ email: email.toLowerCase() }).where('id', '=', userId).execute();
  }

  async createEmailChange(tokenHash: string, userId: number, newEmail: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('email_changes')
      .values({ token_hash: tokenHash, user_id: userId, new_email: newEmail.toLowerCase(), created_at: now.getTime(), expires_at: expiresAt.getTime(), used_at: null })
      .execute();
  }

  /** Marks an email-change token used and returns it, once. */
  async consumeEmailChange(tokenHash: string, now: Date): Promise<{ userId: number; newEmail: string } | null> {
    const r = await this.db
      .updateTable('email_changes')
      .set({ used_at: now.getTime() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .returning(['user_id', 'new_email'])
      .executeTakeFirst();
    return r ? { userId: Number(r.user_id), newEmail: r.new_email } : null;
  }

  /** Every comment the user wrote, in any status, oldest first. */
  async commentsByAuthor(userId: number): Promise<Comment[]> {
    const rows = await this.comments().where('comments.author_id', '=', userId).orderBy('comments.id').execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  async revisionsOfMany(commentIds: readonly number[]): Promise<Map<number, { bodySrc: string; editorId: number; createdAt: Date }[]>> {
    const out = new Map<number, { bodySrc: string; editorId: number; createdAt: Date }[]>();
    if (commentIds.length === 0) return out;
    const rows = await this.db.selectFrom('comment_revisions').selectAll().where('comment_id', 'in', [...commentIds]).orderBy('id').execute();
    for (const r of rows) {
      const list = out.get(Number(r.comment_id)) ?? [];
      list.push({ bodySrc: r.body_src, editorId: Number(r.editor_id), createdAt: new Date(Number(r.created_at)) });
      out.set(Number(r.comment_id), list);
    }
    return out;
  }

  /** Empties a comment readers never saw (pending or rejected) without turning it into a visible placeholder. */
  async eraseHiddenComment(id: number): Promise<void> {
    await this.db.updateTable('comments').set({ body_src: '', body_html: '', status: 'rejected' }).where('id', '=', id).where('status', 'in', ['pending', 'rejected']).execute();
  }

  async eraseRevisions(commentIds: readonly number[]): Promise<void> {
    if (commentIds.length > 0) await this.db.deleteFrom('comment_revisions').where('comment_id', 'in', [...commentIds]).execute();
  }

  async votesByUser(userId: number): Promise<{ commentId: number; value: number; createdAt: Date }[]> {
    const rows = await this.db.selectFrom('votes').selectAll().where('user_id', '=', userId).orderBy('comment_id').execute();
    return rows.map((r) => ({ commentId: Number(r.comment_id), value: r.value, createdAt: new Date(Number(r.created_at)) }));
  }

  async followsOfUser(userId: number, email: string): Promise<(FollowRow & { createdAt: Date })[]> {
    const rows = await this.db
      .selectFrom('follows')
      .selectAll()
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('email', '=', email.toLowerCase())]))
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...toFollow(r), createdAt: new Date(Number(r.created_at)) }));
  }

  async readsOfUser(userId: number): Promise<{ articleId: number; month: string; createdAt: Date }[]> {
    const rows = await this.db.selectFrom('article_reads').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map((r) => ({ articleId: Number(r.article_id), month: r.month, createdAt: new Date(Number(r.created_at)) }));
  }

  /**
   * Strips a user down to an anonymous row that their comments (and others' replies to them)
   * can keep pointing at: no address, no sessions, subscriptions, follows or reading history.
   */
  async anonymiseUser(userId: number, displayName: string, placeholderEmail: string): Promise<void> {
    const user = await this.userById(userId);
    if (!user) return;
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('entitlements').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('follows').where((eb) => eb.or([eb('user_id', '=', userId), eb('email', '=', user.email)])).execute();
    await this.db.deleteFrom('login_tokens').where('email', '=', user.email).execute();
    await this.db.deleteFrom('article_reads').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('stripe_customers').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('email_changes').where('user_id', '=', userId).execute();
    // Or the publisher's next sign-on would bring the person back into the emptied account.
    await this.db.deleteFrom('sso_identities').where('user_id', '=', userId).execute();
    // Recorded answers to keyed posts hold the words of the comments.
    await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).execute();
    await this.db.updateTable('users').set({ display_name: displayName, email: placeholderEmail, role: 'reader', notify_token: null, notify_replies: 0 }).where('id', '=', userId).execute();
  }

  // ---- moderation (issue 6) -----------------------------------------------------------------

  async setting(key: string): Promise<string | null> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value ?? null;
  }

  async putSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async articleModeration(articleId: number): Promise<string | null> {
    const r = await this.db.selectFrom('articles').select('moderation').where('id', '=', articleId).executeTakeFirst();
    return r?.moderation ?? null;
  }

  async setArticleModeration(articleId: number, json: string | null): Promise<void> {
    await this.db.updateTable('articles').set({ moderation: json }).where('id', '=', articleId).execute();
  }

  /** A moderator's comment policy for an article; null returns it to the article's own. */
  async setPolicyOverride(articleId: number, policy: CommentPolicy | null): Promise<void> {
    await this.db.updateTable('articles').set({ policy_override: policy }).where('id', '=', articleId).execute();
  }

  async articlesByIds(ids: readonly number[]): Promise<Article[]> {
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('articles').selectAll().where('id', 'in', [...ids]).execute()).map(toArticle);
  }

  async usersByIds(ids: readonly number[]): Promise<User[]> {
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('users').selectAll().where('id', 'in', [...ids]).execute()).map(toUser);
  }

  async staffUsers(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('role', 'in', ['moderator', 'admin']).orderBy('role').orderBy('email').execute();
    return rows.map(toUser);
  }

  async countAdmins(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('banned', '=', 0).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async setSuspension(userId: number, until: Date | null): Promise<void> {
    await this.db.updateTable('users').set({ suspended_until: until?.getTime() ?? null }).where('id', '=', userId).execute();
  }

  async setBanned(userId: number, banned: boolean): Promise<void> {
    await this.db.updateTable('users').set({ banned: banned ? 1 : 0 }).where('id', '=', userId).execute();
  }

  /** Records a reader's report; false if they already reported this comment. */
  async addReport(r: { commentId: number; reporterId: number; reason: string; text: string; now: Date }): Promise<boolean> {
    const row = await this.db
      .insertInto('reports')
      .values({ comment_id: r.commentId, reporter_id: r.reporterId, reason: r.reason, text: r.text, created_at: r.now.getTime(), resolved_at: null, resolved_by: null })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Reports no moderator has dealt with yet: a comment approved after reports starts again from zero. */
  async openReportCount(commentId: number): Promise<number> {
    const r = await this.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('comment_id', '=', commentId)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async resolveReports(commentIds: readonly number[], by: number | null, now: Date): Promise<void> {
    if (commentIds.length === 0) return;
    await this.db
      .updateTable('reports')
      .set({ resolved_at: now.getTime(), resolved_by: by })
      .where('comment_id', 'in', [...commentIds])
      .where('resolved_at', 'is', null)
      .execute();
  }

  async openReportsFor(commentIds: readonly number[]): Promise<ReportRecord[]> {
    if (commentIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('reports')
      .innerJoin('users', 'users.id', 'reports.reporter_id')
      .select(['reports.id', 'reports.comment_id', 'reports.reporter_id', 'users.display_name', 'reports.reason', 'reports.text', 'reports.created_at'])
      .where('reports.comment_id', 'in', [...commentIds])
      .where('reports.resolved_at', 'is', null)
      .orderBy('reports.id')
      .execute();
    return rows.map((r) => ({ id: Number(r.id), commentId: Number(r.comment_id), reporterId: Number(r.reporter_id), reporterName: r.display_name, reason: r.reason, text: r.text, createdAt: new Date(Number(r.created_at)) }));
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

  /*
   * Status changes are conditional updates: of two moderators acting on one comment at once,
   * only the first changes anything, so counters move once.
   */

  /** Takes a visible comment out of view pending review; false if it was not visible. */
  async holdComment(id: number, reason: string, now: Date): Promise<boolean> {
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
  async approveComment(id: number, by: number | null, now: Date): Promise<boolean> {
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
  async rejectComment(id: number, by: number | null, reason: string, now: Date): Promise<boolean> {
    const set = { status: 'rejected', moderation_reason: reason, moderated_at: now.getTime(), moderated_by: by, pinned: 0 };
    const wasVisible = await this.db.updateTable('comments').set(set).where('id', '=', id).where('status', '=', 'visible').returning(['article_id', 'root_id']).executeTakeFirst();
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

  async setPinned(id: number, pinned: boolean): Promise<void> {
    await this.db.updateTable('comments').set({ pinned: pinned ? 1 : 0 }).where('id', '=', id).execute();
  }

  async setLocked(id: number, locked: boolean): Promise<void> {
    await this.db.updateTable('comments').set({ locked: locked ? 1 : 0 }).where('id', '=', id).execute();
  }

  /** An article's pinned top-level comments, oldest pin first; `pinned = 1` is literal so the partial index applies. */
  async pinnedTopLevel(articleId: number, maxId: number, viewerId: number | null): Promise<Comment[]> {
    const rows = await this.comments()
      .where('comments.article_id', '=', articleId)
      .where(sql<boolean>`comments.pinned = 1`)
      .where('comments.depth', '=', 0)
      .where('comments.id', '<=', maxId)
      .where((eb) => shownTo(eb, viewerId))
      .orderBy('comments.id')
      .limit(50)
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Held comments, oldest first: the order they were written in. */
  async pendingQueue(afterId: number, limit: number): Promise<Comment[]> {
    const rows = await this.comments().where('comments.status', '=', 'pending').where('comments.id', '>', afterId).orderBy('comments.id').limit(limit).execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Comments with reports no moderator has dealt with, whatever their status. */
  async reportedQueue(afterId: number, limit: number): Promise<Comment[]> {
    const open = this.db.selectFrom('reports').select('reports.comment_id').where('reports.resolved_at', 'is', null);
    const rows = await this.comments()
      .where('comments.id', 'in', open)
      .where('comments.status', 'in', ['visible', 'pending'])
      .where('comments.id', '>', afterId)
      .orderBy('comments.id')
      .limit(limit)
      .execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  /** Comments rejected since `since`, most recent first. */
  async rejectedQueue(since: Date, beforeId: number | null, limit: number): Promise<Comment[]> {
    let q = this.comments().where('comments.status', '=', 'rejected').where('comments.moderated_at', '>=', since.getTime());
    if (beforeId !== null) q = q.where('comments.id', '<', beforeId);
    const rows = await q.orderBy('comments.id', 'desc').limit(limit).execute();
    return rows.map((r) => toComment(r as CommentRow));
  }

  async countByStatus(status: 'pending' | 'rejected', since?: Date): Promise<number> {
    let q = this.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status);
    if (since) q = q.where('moderated_at', '>=', since.getTime());
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  async countReported(): Promise<number> {
    const r = await this.db
      .selectFrom('reports')
      .innerJoin('comments', 'comments.id', 'reports.comment_id')
      .select(sql<number>`count(distinct reports.comment_id)`.as('n'))
      .where('reports.resolved_at', 'is', null)
      .where('comments.status', 'in', ['visible', 'pending'])
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** What a moderator wants to know of each author: how much they wrote and how much was rejected lately. */
  async authorHistory(authorIds: readonly number[], rejectedSince: Date): Promise<Map<number, { comments: number; published: number; rejected: number }>> {
    const out = new Map<number, { comments: number; published: number; rejected: number }>();
    if (authorIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('comments')
      .select([
        'author_id',
        (eb) => eb.fn.countAll<number>().as('total'),
        sql<number>`sum(case when status = 'visible' then 1 else 0 end)`.as('published'),
        sql<number>`sum(case when status = 'rejected' and moderated_at >= ${rejectedSince.getTime()} then 1 else 0 end)`.as('rejected'),
      ])
      .where('author_id', 'in', [...authorIds])
      .groupBy('author_id')
      .execute();
    for (const r of rows) out.set(Number(r.author_id), { comments: Number(r.total), published: Number(r.published ?? 0), rejected: Number(r.rejected ?? 0) });
    return out;
  }

  /** How many of an author's comments are published, counting no further than `upTo`. */
  async publishedCount(authorId: number, upTo: number): Promise<number> {
    const rows = await this.db.selectFrom('comments').select('id').where('author_id', '=', authorId).where('status', '=', 'visible').limit(upTo).execute();
    return rows.length;
  }

  async lastCommentAt(authorId: number): Promise<Date | null> {
    const r = await this.db.selectFrom('comments').select((eb) => eb.fn.max('created_at').as('t')).where('author_id', '=', authorId).executeTakeFirst();
    return r?.t === null || r?.t === undefined ? null : new Date(Number(r.t));
  }

  /** The id of a comment by this author with exactly these words since `since`, if any. */
  async recentDuplicate(authorId: number, bodySrc: string, since: Date): Promise<number | null> {
    const r = await this.db
      .selectFrom('comments')
      .select('id')
      .where('author_id', '=', authorId)
      .where('created_at', '>=', since.getTime())
      .where('body_src', '=', bodySrc)
      .orderBy('id', 'asc')
      .limit(1)
      .executeTakeFirst();
    return r === undefined ? null : Number(r.id);
  }

  // ---- posting: one author at a time, idempotency keys (issue 11) ----------------------------

  /**
   * Makes one author's posts run one after another until this transaction ends, so what a post
   * checks (a duplicate, an idempotency key) cannot change before it commits. PostgreSQL takes a
   * transaction-scoped advisory lock, not a row lock: `FOR UPDATE` on the user row would also block
   * the key-share locks that every foreign key to it takes (their votes, follows). SQLite needs
   * nothing: Kysely runs its one connection's transactions one at a time, and a transaction that
   * has begun cannot be overtaken. Returns false if the lock was not had within `waitMs`; the
   * transaction is then unusable and must be abandoned.
   */
  async lockAuthorPosts(userId: number, waitMs: number): Promise<boolean> {
    if (this.dialect !== 'postgres') return true;
    // Two-int form: a namespace of Parley's own, and the id folded into int4 (a collision only
    // makes two authors wait for each other).
    const { rows } = await sql<{ prev: string }>`select current_setting('lock_timeout') as prev, set_config('lock_timeout', ${`${Math.max(1, Math.round(waitMs))}ms`}, true)`.execute(this.db);
    try {
      await sql`select pg_advisory_xact_lock(${AUTHOR_POSTS_LOCK}::int, ${userId % 2_147_483_647}::int)`.execute(this.db);
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return false;
      throw err;
    }
    await sql`select set_config('lock_timeout', ${rows[0]!.prev}, true)`.execute(this.db);
    return true;
  }

  /** The answer recorded for this reader's key, if recorded since `since` (older keys have expired). */
  async idempotentAnswer(userId: number, key: string, since: Date): Promise<IdempotentAnswer | null> {
    const r = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status', 'response'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .where('created_at', '>=', since.getTime())
      .executeTakeFirst();
    return r ? { fingerprint: r.fingerprint, status: Number(r.status), response: r.response } : null;
  }

  /** Records the answer to a keyed write, in the caller's transaction; an expired row is replaced. */
  async saveIdempotentAnswer(userId: number, key: string, a: IdempotentAnswer, now: Date): Promise<void> {
    const values = { fingerprint: a.fingerprint, status: a.status, response: a.response, created_at: now.getTime() };
    await this.db
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doUpdateSet(values))
      .execute();
  }

  /** Forgets keys recorded before `before`; returns how many. For a periodic job. */
  async pruneIdempotencyKeys(before: Date): Promise<number> {
    const r = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', before.getTime()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async audit(e: { actorId: number | null; action: string; targetType: string; targetId: number | null; details: Record<string, unknown>; now: Date }): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({ actor_id: e.actorId, action: e.action, target_type: e.targetType, target_id: e.targetId, details: JSON.stringify(e.details), created_at: e.now.getTime() })
      .execute();
  }

  /** The audit log, newest first, `limit` entries before `beforeId`. */
  async auditLog(beforeId: number | null, limit: number): Promise<AuditRecord[]> {
    let q = this.db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_id')
      .select(['audit_log.id', 'audit_log.actor_id', 'users.display_name', 'users.email', 'audit_log.action', 'audit_log.target_type', 'audit_log.target_id', 'audit_log.details', 'audit_log.created_at']);
    if (beforeId !== null) q = q.where('audit_log.id', '<', beforeId);
    const rows = await q.orderBy('audit_log.id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      actor: r.actor_id === null ? null : { id: Number(r.actor_id), name: r.display_name ?? '', email: r.email ?? '' },
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id === null ? null : Number(r.target_id),
      details: JSON.parse(r.details) as Record<string, unknown>,
      createdAt: new Date(Number(r.created_at)),
    }));
  }
}
