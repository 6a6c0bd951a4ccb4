import type { Config } from '../config.js';
import { normaliseBody } from '../domain/comment-body.js';
import { commentView, personalView } from '../domain/comment-view.js';
import { mergeReplies } from '../domain/tree.js';
import { followState } from '../domain/notify.js';
import { decodeReplyCursor, decodeThreadCursor, encodeReplyCursor, encodeThreadCursor } from '../domain/cursor.js';
import { AppError, badRequest, notFound } from '../domain/errors.js';
import { deleteBlock, denialError, editBlock, enforce, participationBlock, voteBlock, type Actor } from '../domain/permissions.js';
import type { Article, Comment, CommentView, DiscussionState, SortOrder, ThreadPage, ThreadView } from '../domain/types.js';
import type { VoteValue } from '../domain/votes.js';
import { messages } from '../messages.js';
import type { Participant } from '../domain/mentions.js';
import { plainTextExcerpt, renderComment } from '../render/markdown.js';
import type { ArticleStamp, ReaderFacts, Store } from '../store/store.js';
import type { EventBus } from '../events/bus.js';
import type { Clock } from './clock.js';
import type { DiscussionChanges } from './discussion-changes.js';
import { Lru } from './lru.js';
import { PageCache } from './page-cache.js';
import { placeAnchor } from './anchors.js';
import { mentionable } from './mentions.js';
import type { Accounts } from './accounts.js';
import { IDEMPOTENCY_TTL_MS, requestFingerprint } from './idempotency.js';
import type { PostingReads } from './posting/port.js';
import type { ModerationRules } from './posting/settings.js';
import type { ModerationSettings } from '../domain/moderation.js';

type Limits = Pick<Config, 'PAGE_SIZE' | 'REPLIES_PER_THREAD' | 'EDIT_WINDOW_MINUTES' | 'MAX_COMMENT_LENGTH' | 'INDENT_DEPTH'> &
  Partial<Pick<Config, 'VOTE_MIN_ACCOUNT_AGE_HOURS' | 'PUBLICATION_TIMEZONE'>>;

// 'top' pages by rank_score, the score without votes from accounts too young to count.
/** Where the next replies of a thread start: after `last`, or from the thread's beginning. */
const replyCursor = (rootId: number, maxId: number, last: Comment | undefined) =>
  encodeReplyCursor({ r: rootId, w: maxId, t: last ? last.createdAt.getTime() : 0, i: last?.id ?? 0 });

/** Replies shown at once when a link asks for a whole thread; the rest load by cursor. */
const MAX_LINKED_REPLIES = 200;

/** Replies per thread on a `View all comments` page (each top-level comment with all its replies); the rest load by cursor. */
const ALL_REPLIES = 500;

/**
 * A `View all comments` page, in PAGE_SIZEs: top-level comments at most, and the comments
 * (replies included) after which it ends (60 and 240 by default).
 */
const ALL_PAGE_THREADS = 3;
const ALL_PAGE_COMMENTS = 12;

/** Threads one no-JS page opens whole at most (the `expand` list). */
const MAX_EXPANDED = 20;

/**
 * Comments of one article the page gives a `#comment-ID` stand-in at most, beyond the parents its
 * replies link to: the newest, which links go to most. Each costs bytes on every page of the
 * article, however long its discussion (a thousand cost 80 KB).
 */
const MAX_LINK_TARGETS = 100;

/** How a page is asked for beyond sort and cursor: every reply of each thread, or some threads whole (no-JS `Show N more replies`). */
export interface PageView {
  all?: boolean;
  expand?: readonly number[];
}

/** What a view of a discussion asks for: its order, where it starts, the comment it leads with, which threads open whole. */
export interface StateRequest extends PageView {
  sort: SortOrder;
  cursor?: string;
  focusCommentId?: number | null;
  /** Whether the state lists stand-ins for comments the page does not show (server-rendered pages). */
  linkTargets?: boolean;
}

const sortKey = (c: Comment, sort: SortOrder) => (sort === 'top' ? c.rankScore : c.createdAt.getTime());

/** Marks a comment whose author the viewer muted; everyone else's answers never carry the field. */
const withMute = (v: CommentView, muted: ReadonlySet<number>): CommentView => (v.author && muted.has(v.author.id) ? { ...v, muted: true } : v);

/** What posting a comment answers (201). */
export interface PostAnswer {
  comment: CommentView;
  commentCount: number;
}

/** Thrown out of a post's transaction (rolling it back) when the key's answer is already recorded. */
class Replay extends Error {
  constructor(readonly answer: PostAnswer & { replayed: true }) {
    super('idempotent replay');
  }
}

/**
 * How long a post waits for the same author's post in progress (PostgreSQL) before answering
 * 409 `request_in_progress`: far longer than a post takes, and shorter than the statement
 * timeout (5 s by default, store/connect.ts), so the wait ends with this answer, not a 503.
 */
const AUTHOR_WAIT_MS = 3_000;

/** What a posting rule sees of a new comment before it is stored. */
export interface PostContext {
  actor: Actor;
  article: Article;
  parent: Comment | null;
  text: string;
  now: Date;
  /** Read-only: a rule judges a post, and what the post writes is the discussion's to do. */
  store: PostingReads;
  /** The article's pre-moderation rules, when read before the post's transaction (see `post`). */
  moderation?: ModerationSettings;
}

/** A rule either holds the comment for moderation (with the reason shown to moderators) or refuses it. */
export type PostVerdict = { hold: string } | { refuse: AppError };
export type PostingRule = (ctx: PostContext) => Promise<PostVerdict | null>;

/** Work that must commit together with a new comment, e.g. notification outbox rows; `mentioned`: whom its `@names` link. */
export type CommentCreatedHook = (
  tx: Store,
  comment: Comment,
  about?: { mentioned: readonly Participant[]; author?: { id: number; email: string } },
) => Promise<void>;

/** Names offered while typing `@`. */
const PARTICIPANTS_SHOWN = 8;

/** The repositories a discussion reads and writes; posting rules see only `PostingReads`. */
type DiscussionStore = Pick<Store, 'articles' | 'comments' | 'votes' | 'idempotency' | 'mutes' | 'readerFacts' | 'transaction' | 'events'> & PostingReads;

export interface DiscussionDeps {
  store: DiscussionStore;
  accounts: Accounts;
  limits: Limits;
  clock: Clock;
  bus: EventBus;
  /** The one path every change to a discussion takes. */
  changes: DiscussionChanges;
  rules?: PostingRule[];
  /** Rules run on an author's edit of a visible comment; a hold takes it back to the queue. */
  editRules?: PostingRule[];
  onCreated?: CommentCreatedHook[];
  /** Where posting reads an article's pre-moderation rules before its transaction. */
  moderationRules?: Pick<ModerationRules, 'withArticle'>;
}

/** Reading and writing an article's discussion: the use cases behind the API and the pages. */
export class Discussions {
  private readonly store: DiscussionStore;
  private readonly accounts: Accounts;
  private readonly limits: Limits;
  private readonly clock: Clock;
  private readonly bus: EventBus;
  private readonly rules: PostingRule[];
  private readonly editRules: PostingRule[];
  private readonly onCreated: CommentCreatedHook[];
  private readonly moderationRules: DiscussionDeps['moderationRules'];
  private readonly pages: PageCache<ThreadPage>;
  private readonly derived: PageCache<unknown>[] = [];
  /** Each signed-in reader's page, back to the shared page it was made from (see sharedPageOf). */
  private readonly personalised = new WeakMap<ThreadPage, ThreadPage>();
  private readonly linkTargets = new WeakMap<ThreadPage, Promise<number[]>>();
  private readonly pageCommentIds = new WeakMap<ThreadPage, readonly number[]>();
  private readonly changes: DiscussionChanges;
  /** Articles as last read, by the version they were read at (see currentArticle). */
  private readonly articles = new Lru<number, { version: string; article: Article }>(5000);

  constructor(deps: DiscussionDeps) {
    this.store = deps.store;
    this.accounts = deps.accounts;
    this.limits = deps.limits;
    this.clock = deps.clock;
    this.bus = deps.bus;
    this.rules = deps.rules ?? [];
    this.editRules = deps.editRules ?? [];
    this.onCreated = deps.onCreated ?? [];
    this.moderationRules = deps.moderationRules;
    this.pages = new PageCache(deps.bus);
    this.changes = deps.changes;
    // This node forgets its cached guest pages the moment a change commits; other nodes do when its wake-up reaches them.
    this.changes.onCommitted((articleId, lastEventId) => this.forget(articleId, lastEventId));
  }

  /** Runs the posting rules in order; the first refusal wins, else the first hold. */
  private async verdict(ctx: PostContext, rules = this.rules): Promise<{ status: 'visible' | 'pending'; holdReason: string | null }> {
    let hold: string | null = null;
    for (const rule of rules) {
      const v = await rule(ctx);
      if (!v) continue;
      if ('refuse' in v) throw v.refuse;
      hold ??= v.hold;
    }
    return { status: hold ? 'pending' : 'visible', holdReason: hold };
  }

  async article(id: number): Promise<Article> {
    const a = await this.store.articles.byId(id);
    if (!a) throw notFound('article_not_found', messages.errors.article_not_found);
    return a;
  }

  /**
   * The article as it is now, its row (with its whole text) read again only when its version
   * changed: a signed-in reader's every view asks, and reading the text was much of its cost.
   */
  async currentArticle(id: number): Promise<Article> {
    return this.articleAt(id, await this.store.articles.stampOf(id));
  }

  private async articleAt(id: number, stamp: ArticleStamp | null): Promise<Article> {
    if (stamp === null) throw notFound('article_not_found', messages.errors.article_not_found);
    const kept = this.articles.get(id);
    if (kept?.version === stamp.version) {
      if (kept.article.commentCount !== stamp.commentCount) kept.article = { ...kept.article, commentCount: stamp.commentCount };
      return kept.article;
    }
    // Changed again since the stamp was read? The next view sees another version and reads anew.
    const article = await this.article(id);
    this.articles.set(id, { version: stamp.version, article });
    return article;
  }

  private async comment(id: number): Promise<Comment> {
    const c = await this.store.comments.byId(id);
    if (!c || c.status === 'rejected') throw notFound('comment_not_found', messages.errors.comment_not_found);
    return c;
  }

  /** `muted`: whom the viewer muted, when the caller has asked already. */
  private async views(list: readonly Comment[], actor: Actor | null, muted?: ReadonlySet<number>): Promise<CommentView[]> {
    const now = this.clock.now();
    const votes = actor
      ? await this.store.votes.ofMany(
          actor.user.id,
          list.map((c) => c.id),
        )
      : new Map<number, VoteValue>();
    muted ??= await this.mutedBy(actor);
    return list.map((c) => withMute(commentView(c, actor, votes.get(c.id) ?? 0, now, this.limits.EDIT_WINDOW_MINUTES), muted));
  }

  private mutedList(muted: ReadonlySet<number>): Pick<DiscussionState, 'muted'> {
    const ids = [...muted];
    return ids.length ? { muted: { ids, label: messages.widget.mutedRow } } : {};
  }

  /** Whom the viewer muted: their comments carry `muted` in this viewer's answers, and only there. */
  private async mutedBy(actor: Actor | null): Promise<ReadonlySet<number>> {
    return new Set(actor ? await this.store.mutes.idsOf(actor.user.id) : []);
  }

  /**
   * Attaches each thread's first replies (up to the watermark) to its top-level comment: every
   * reply (up to ALL_REPLIES) when `all`, else the first REPLIES_PER_THREAD.
   */
  private async threads(roots: readonly Comment[], maxId: number, actor: Actor | null, all = false): Promise<ThreadView[]> {
    const perThread = all ? ALL_REPLIES : this.limits.REPLIES_PER_THREAD;
    const withReplies = roots.filter((r) => r.replyCount > 0);
    const bare =
      perThread === 0
        ? []
        : await this.store.comments.bareReplies(
            withReplies.map((r) => r.id),
            actor?.user.id ?? null,
          );
    const replies =
      perThread === 0
        ? []
        : await this.store.comments.replies(
            withReplies.map((r) => ({ rootId: r.id, maxId, after: null, limit: perThread })),
            actor?.user.id ?? null,
            bare.map((b) => b.id),
          );
    const views = await this.views([...roots, ...replies], actor);
    const byId = new Map(views.map((v) => [v.id, v]));
    return roots.map((root) => {
      const mine = replies.filter((r) => r.rootId === root.id);
      const last = mine.at(-1);
      // reply_count counts deleted placeholders, the bare ones left out here too.
      const more = Math.max(0, root.replyCount - mine.length - bare.filter((b) => b.rootId === root.id).length);
      return {
        comment: byId.get(root.id)!,
        replies: mine.map((r) => byId.get(r.id)!),
        moreReplies: more,
        repliesCursor: more > 0 ? replyCursor(root.id, maxId, last) : null,
      };
    });
  }

  async page(articleId: number, sort: SortOrder, cursor: string | undefined, actor: Actor | null, all = false): Promise<ThreadPage> {
    return actor ? (await this.readerPage(articleId, sort, cursor, actor, all)).page : this.sharedPage(articleId, sort, cursor, all);
  }

  private sharedPage(articleId: number, sort: SortOrder, cursor: string | undefined, all: boolean): Promise<ThreadPage> {
    return this.pages.get(articleId, `${sort}:${cursor ?? ''}${all ? ':all' : ''}`, () => this.computePage(articleId, sort, cursor, null, all));
  }

  /**
   * A signed-in reader's page: the page all readers share, and what this reader adds to it
   * (their votes, mutes, held comments, follow and the article's version), asked in one query.
   */
  private async readerPage(
    articleId: number,
    sort: SortOrder,
    cursor: string | undefined,
    actor: Actor,
    all: boolean,
  ): Promise<{ page: ThreadPage; facts: ReaderFacts }> {
    const shared = await this.sharedPage(articleId, sort, cursor, all);
    const facts = await this.store.readerFacts.of(actor.user.id, articleId, this.commentIdsOf(shared));
    // The shared page may outlive its article by a moment; the reader's view must not.
    if (facts.article === null) throw notFound('article_not_found', messages.errors.article_not_found);
    const page = await this.personalise(shared, actor, articleId, cursor === undefined, facts);
    this.personalised.set(page, shared);
    return { page, facts };
  }

  /** The ids of the comments a shared page shows, listed once per page: every signed-in view asks for its reader's votes on them. */
  private commentIdsOf(shared: ThreadPage): readonly number[] {
    let ids = this.pageCommentIds.get(shared);
    if (!ids) {
      ids = Object.freeze(shared.threads.flatMap((t) => [t.comment.id, ...t.replies.map((r) => r.id)]));
      this.pageCommentIds.set(shared, ids);
    }
    return ids;
  }

  /**
   * The page every reader shares that a signed-in reader's page was made from: what the two
   * have in common is rendered once for all readers (src/render/discussion-html.ts).
   */
  sharedPageOf(page: ThreadPage): ThreadPage | undefined {
    return this.personalised.get(page);
  }

  /**
   * The guests' page as one signed-in reader sees it: their votes and rights, and their own
   * comments awaiting moderation (which guests never see) in the threads shown, new ones first.
   */
  private async personalise(page: ThreadPage, actor: Actor, articleId: number, firstPage: boolean, facts: ReaderFacts): Promise<ThreadPage> {
    const muted = new Set(facts.muted);
    // Nearly always none: no more questions asked then.
    const own = facts.hasPending ? await this.store.comments.pendingBy(actor.user.id, articleId, 50) : [];
    const ownViews = own.length ? await this.views(own, actor, muted) : [];
    const votes = facts.votes;
    const now = this.clock.now();
    const mine = (v: CommentView) => withMute(personalView(v, actor, votes.get(v.id) ?? 0, now, this.limits.EDIT_WINDOW_MINUTES), muted);
    let threads = page.threads.map((t) => {
      const own = ownViews.length ? ownViews.filter((o) => o.rootId === t.comment.id) : ownViews;
      const comment = mine(t.comment);
      const replies = t.replies.map(mine);
      // A thread the reader touches nowhere stays the shared one: what is made from it is made once for all.
      if (!own.length && comment === t.comment && replies.every((r, i) => r === t.replies[i])) return t;
      return { ...t, comment, replies: own.length ? mergeReplies(replies, own) : replies };
    });
    if (firstPage)
      threads = [...ownViews.filter((o) => o.rootId === null).map((comment) => ({ comment, replies: [], repliesCursor: null, moreReplies: 0 })), ...threads];
    return { ...page, threads };
  }

  private async computePage(articleId: number, sort: SortOrder, cursor: string | undefined, actor: Actor | null, all = false): Promise<ThreadPage> {
    await this.article(articleId);
    // Read before the comments, so every event after it is one the page may not show.
    const since = cursor ? undefined : await this.store.events.lastId(articleId);
    const c = cursor ? decodeThreadCursor(cursor, sort) : null;
    // A `View all comments` page's cursor says so: its next pages are whole threads too.
    const every = all || c?.a === 1;
    const maxId = c ? c.w : await this.store.comments.maxId();
    // Editors' picks page by when they were picked, one pick to an entry (featuredPage).
    if (sort === 'featured')
      return { ...(await this.featuredPage(articleId, maxId, c ? { key: c.k, id: c.i } : null, actor)), ...(since === undefined ? {} : { since }) };
    const limit = this.limits.PAGE_SIZE * (every ? ALL_PAGE_THREADS : 1);
    const rows = await this.store.comments.topLevel({
      articleId,
      sort,
      maxId,
      after: c ? { key: c.k, id: c.i } : null,
      limit: limit + 1,
      viewerId: actor?.user.id ?? null,
    });
    let roots = rows.slice(0, limit);
    let more = rows.length > limit;
    // Pinned comments head the first page in every sort; the keyset pages leave them out.
    const pinned = c ? [] : await this.store.comments.pinnedTopLevel(articleId, maxId, actor?.user.id ?? null);
    let threads = await this.threads([...pinned, ...roots], maxId, actor, every);
    if (every) {
      // A page of whole threads is measured in comments: it ends with the thread that brings it to
      // ALL_PAGE_COMMENTS (a discussion the size of most shows whole at once).
      let n = 0;
      const end = threads.findIndex((t, i) => (n += 1 + t.replies.length) >= ALL_PAGE_COMMENTS * this.limits.PAGE_SIZE && i >= pinned.length);
      if (end >= 0 && end < threads.length - 1) {
        threads = threads.slice(0, end + 1);
        roots = roots.slice(0, end + 1 - pinned.length);
        more = true;
      }
    }
    const last = roots.at(-1);
    const nextCursor = more && last ? encodeThreadCursor({ s: sort, w: maxId, k: sortKey(last, sort), i: last.id, ...(every ? { a: 1 as const } : {}) }) : null;
    return { sort, threads, nextCursor, ...(since === undefined ? {} : { since }) };
  }

  /**
   * Whom a reader typing `@` + `prefix` may mean: participants of the thread they answer (the one
   * holding comment `near`) first, then of the article, most recent first. Only names readers
   * already see beside comments.
   */
  async participants(articleId: number, prefix: string, near: number | null): Promise<Participant[]> {
    await this.article(articleId);
    const about = near === null ? null : await this.store.comments.byId(near);
    const rootId = about && about.articleId === articleId ? (about.rootId ?? about.id) : null;
    const limit = PARTICIPANTS_SHOWN;
    const inThread = rootId === null ? [] : await this.store.comments.participants({ articleId, rootId, prefix, limit });
    const inArticle = await this.store.comments.participants({ articleId, prefix, limit });
    return [...inThread, ...inArticle.filter((p) => !inThread.some((t) => t.userId === p.userId))].slice(0, limit);
  }

  /**
   * The Featured tab: editors' picks of any depth, newest pick first, no pinned comments ahead of
   * them. A pick heads its own entry; a picked reply comes with the comment it answers (its
   * context), a picked top-level comment with the way to its replies.
   */
  private async featuredPage(articleId: number, maxId: number, after: { key: number; id: number } | null, actor: Actor | null): Promise<ThreadPage> {
    const limit = this.limits.PAGE_SIZE;
    const rows = await this.store.comments.featured({ articleId, maxId, after, limit: limit + 1 });
    const picks = rows.slice(0, limit);
    const last = picks.at(-1);
    const nextCursor = rows.length > limit && last ? encodeThreadCursor({ s: 'featured', w: maxId, k: last.featuredAt!.getTime(), i: last.id }) : null;
    const parents = new Map(
      (await this.store.comments.byIds([...new Set(picks.flatMap((p) => (p.parentId === null ? [] : [p.parentId])))])).map((p) => [p.id, p]),
    );
    const views = await this.views(picks, actor);
    const threads = picks.map((p, i): ThreadView => {
      const parent = p.parentId === null ? undefined : parents.get(p.parentId);
      const shown = parent && (parent.status === 'visible' || parent.status === 'deleted');
      const replies = p.rootId === null ? p.replyCount : 0;
      return {
        comment: views[i]!,
        replies: [],
        moreReplies: replies,
        repliesCursor: replies > 0 ? replyCursor(p.id, maxId, undefined) : null,
        ...(shown
          ? {
              context: {
                id: parent.id,
                author: parent.status === 'deleted' ? null : parent.authorName,
                excerpt: parent.status === 'deleted' ? '' : plainTextExcerpt(parent.bodySrc, 160),
              },
            }
          : {}),
      };
    });
    return { sort: 'featured', threads, nextCursor };
  }

  async moreReplies(
    rootId: number,
    cursor: string,
    actor: Actor | null,
  ): Promise<{ replies: CommentView[]; repliesCursor: string | null; moreReplies: number }> {
    const c = decodeReplyCursor(cursor, rootId);
    const root = await this.comment(rootId);
    const limit = Math.max(this.limits.REPLIES_PER_THREAD, 1) * 4;
    const bare = await this.store.comments.bareReplies([rootId], actor?.user.id ?? null);
    const rows = await this.store.comments.replies(
      [{ rootId, maxId: c.w, after: { time: c.t, id: c.i }, limit: limit + 1 }],
      actor?.user.id ?? null,
      bare.map((b) => b.id),
    );
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    const hasMore = rows.length > limit && last;
    const bareAfter = (t: Comment) => bare.filter((b) => b.createdAt > t.createdAt.getTime() || (b.createdAt === t.createdAt.getTime() && b.id > t.id)).length;
    return {
      replies: await this.views(shown, actor),
      repliesCursor: hasMore ? replyCursor(rootId, c.w, last) : null,
      // An estimate from the thread's counter: replies posted after the watermark are in it too.
      moreReplies: hasMore
        ? Math.max(
            1,
            root.replyCount - (await this.store.comments.countReplies(rootId, c.w, { time: last.createdAt.getTime(), id: last.id })) - bareAfter(last),
          )
        : 0,
    };
  }

  /** The thread holding a comment, with its replies up to that comment, for deep links. */
  async threadOf(commentId: number, actor: Actor | null): Promise<ThreadView> {
    const target = await this.comment(commentId);
    if (target.status === 'pending' && target.authorId !== actor?.user.id) throw notFound('comment_not_found', messages.errors.comment_not_found);
    const root = target.rootId === null ? target : await this.comment(target.rootId);
    const maxId = await this.store.comments.maxId();
    // A link to a top-level comment asks for its whole thread (the no-JS `Show K more replies`).
    const needed =
      target.rootId === null
        ? Math.min(root.replyCount, MAX_LINKED_REPLIES)
        : await this.store.comments.countReplies(root.id, maxId, { time: target.createdAt.getTime(), id: target.id }, true);
    // The thread comes whole (up to MAX_LINKED_REPLIES), and always far enough to hold the target.
    const limit = Math.max(this.limits.REPLIES_PER_THREAD, needed, Math.min(root.replyCount, MAX_LINKED_REPLIES));
    const bare = limit === 0 ? [] : await this.store.comments.bareReplies([root.id], actor?.user.id ?? null);
    const replies =
      limit === 0
        ? []
        : await this.store.comments.replies(
            [{ rootId: root.id, maxId, after: null, limit }],
            actor?.user.id ?? null,
            bare.map((b) => b.id),
          );
    const views = await this.views([root, ...replies], actor);
    const last = replies.at(-1);
    const more = Math.max(0, root.replyCount - replies.length - bare.length);
    return {
      comment: views[0]!,
      replies: views.slice(1),
      moreReplies: more,
      repliesCursor: more > 0 ? replyCursor(root.id, maxId, last) : null,
    };
  }

  /**
   * Posts a comment or a reply. With an idempotency key (per reader), a retry of a post that was
   * committed gets its first answer again (`replayed`), however many times it comes and whatever
   * changed since; the same key with other contents is refused. The key is recorded in the
   * comment's own transaction, so a committed comment whose answer was lost always has it.
   */
  async post(
    actor: Actor | null,
    articleId: number,
    body: string,
    parentId: number | null,
    passage: unknown = null,
    idempotencyKey: string | null = null,
  ): Promise<PostAnswer & { replayed?: true }> {
    const keyed =
      actor && idempotencyKey ? { key: idempotencyKey, fingerprint: requestFingerprint('comment.post', { articleId, body, parentId, passage }) } : null;
    // A retry is answered before anything is checked again: what it asked for was done.
    if (keyed) {
      const earlier = await this.earlierAnswer(this.store, actor!, keyed);
      if (earlier) return earlier;
    }
    const { article, moderation } = await this.postingFacts(articleId);
    const now = this.clock.now();
    const block = participationBlock(actor, article.commentPolicy, now);
    if (block) throw denialError(block);
    const text = normaliseBody(body, this.limits.MAX_COMMENT_LENGTH);
    let parent: Comment | null = null;
    if (parentId !== null) {
      parent = await this.store.comments.byId(parentId);
      if (!parent) throw notFound('parent_not_found', messages.errors.parent_not_found);
      if (parent.articleId !== articleId) throw badRequest('parent_not_in_article', messages.errors.parent_not_in_article);
      if (parent.status !== 'visible') throw badRequest('parent_not_replyable', messages.errors.parent_not_replyable);
    }
    if (passage !== null && parent) throw badRequest('anchor_on_reply', messages.errors.anchor_on_reply);
    const placed = passage === null ? null : placeAnchor(article, passage);
    const { html, mentioned } = renderComment(text, await mentionable(this.store, articleId, parent ? (parent.rootId ?? parent.id) : null, text));
    try {
      return await this.changes.run(
        async (tx, track) => {
          // One author's posts go one at a time from here to the commit: the posting rules (the
          // duplicate rule) and the key check see every earlier post of theirs, and none overtakes.
          if (!(await tx.idempotency.lockAuthorPosts(actor!.user.id, AUTHOR_WAIT_MS)))
            throw new AppError(409, 'request_in_progress', messages.errors.request_in_progress, { 'retry-after': '1' });
          if (keyed) {
            const earlier = await this.earlierAnswer(tx, actor!, keyed);
            if (earlier) throw new Replay(earlier);
          }
          const { status, holdReason } = await this.verdict({ actor: actor!, article, parent, text, now, store: tx, moderation });
          const { comment: created, commentCount } = await tx.comments.post(
            {
              articleId,
              parentId: parent?.id ?? null,
              rootId: parent ? (parent.rootId ?? parent.id) : null,
              depth: parent ? parent.depth + 1 : 0,
              authorId: actor!.user.id,
              bodySrc: text,
              bodyHtml: html,
              status,
              createdAt: now,
              anchor: placed,
              moderationReason: holdReason,
            },
            { author: actor!.user.displayName, replyTo: parent?.authorName ?? null },
          );
          track.created(created.id, created);
          for (const hook of this.onCreated) await hook(tx, created, { mentioned, author: actor!.user });
          // The answer is made in the transaction, so the one recorded for the key is the one sent.
          const answer: PostAnswer = { comment: commentView(created, actor, 0, now, this.limits.EDIT_WINDOW_MINUTES), commentCount };
          if (keyed)
            await tx.idempotency.saveAnswer(actor!.user.id, keyed.key, { fingerprint: keyed.fingerprint, status: 201, response: JSON.stringify(answer) }, now);
          return answer;
        },
        // Concurrent posts share a transaction and its commit; each is answered once that commit returns.
        { articleId, grouped: true, author: actor!.user.id },
      );
    } catch (err) {
      // A post with the same key committed while this one waited for the author's turn.
      if (err instanceof Replay) return err.answer;
      throw err;
    }
  }

  /**
   * The article and its pre-moderation rules, in one round trip (the article's text is usually
   * known here already). Read before the post's transaction: posts into one article take their
   * turns there, one round trip at a time, and rules that change once in a while need not be read
   * under that lock.
   */
  private async postingFacts(articleId: number): Promise<{ article: Article; moderation?: ModerationSettings }> {
    if (!this.moderationRules) return { article: await this.currentArticle(articleId) };
    const read = await this.moderationRules.withArticle(articleId);
    return { article: await this.articleAt(articleId, read?.article ?? null), moderation: read?.rules };
  }

  /** The answer recorded for this reader's key, or null if the key is new (or has expired). */
  private async earlierAnswer(
    store: Pick<Store, 'idempotency'>,
    actor: Actor,
    keyed: { key: string; fingerprint: string },
  ): Promise<(PostAnswer & { replayed: true }) | null> {
    const since = new Date(this.clock.now().getTime() - IDEMPOTENCY_TTL_MS);
    const earlier = await store.idempotency.answer(actor.user.id, keyed.key, since);
    if (!earlier) return null;
    if (earlier.fingerprint !== keyed.fingerprint) throw new AppError(422, 'idempotency_key_reused', messages.errors.idempotency_key_reused);
    return { ...(JSON.parse(earlier.response) as PostAnswer), replayed: true };
  }

  async edit(actor: Actor | null, commentId: number, body: string): Promise<{ comment: CommentView }> {
    if (!actor) throw denialError('unauthenticated');
    const c = await this.comment(commentId);
    const now = this.clock.now();
    enforce(editBlock(actor, c, now, this.limits.EDIT_WINDOW_MINUTES));
    const text = normaliseBody(body, this.limits.MAX_COMMENT_LENGTH);
    if (text !== c.bodySrc) {
      // Mentions in the new words are linked; those already told of the comment are not told again.
      const { html } = renderComment(text, await mentionable(this.store, c.articleId, c.rootId ?? c.id, text));
      // A held or rejected comment is already with the moderators; a visible one goes back to them
      // if the new words would have held it. Live pages then drop it (`comment.hidden`).
      const { holdReason } =
        c.status === 'visible'
          ? await this.verdict({ actor, article: await this.article(c.articleId), parent: null, text, now, store: this.store }, this.editRules)
          : { holdReason: null };
      await this.changes.run(
        async (tx, track) => {
          await track.touch(c.id);
          await tx.comments.edit(c.id, text, html, actor.user.id, now);
          if (holdReason) await tx.comments.hold(c.id, holdReason, now);
        },
        { articleId: c.articleId },
      );
    }
    const [view] = await this.views([(await this.store.comments.byId(c.id))!], actor);
    return { comment: view! };
  }

  async remove(actor: Actor | null, commentId: number): Promise<{ comment: CommentView; commentCount: number }> {
    if (!actor) throw denialError('unauthenticated');
    const c = await this.comment(commentId);
    enforce(deleteBlock(actor, c, this.clock.now()));
    await this.changes.run(
      async (tx, track) => {
        await track.touch(c.id);
        await tx.comments.delete(c, this.clock.now());
      },
      { articleId: c.articleId },
    );
    const [view] = await this.views([(await this.store.comments.byId(c.id))!], actor);
    return { comment: view!, commentCount: (await this.article(c.articleId)).commentCount };
  }

  async vote(actor: Actor | null, commentId: number, value: VoteValue): Promise<{ up: number; down: number; score: number; myVote: VoteValue }> {
    const c = await this.comment(commentId);
    const article = await this.article(c.articleId);
    const now = this.clock.now();
    const block = voteBlock(actor, article, c, now);
    if (block) throw denialError(block);
    // Vote rings use fresh accounts: their votes show in the counts but do not move 'top'.
    const ranked = now.getTime() - actor!.user.createdAt.getTime() >= (this.limits.VOTE_MIN_ACCOUNT_AGE_HOURS ?? 0) * 3_600_000;
    const counts = await this.changes.run(
      async (tx, track) => {
        await track.touch(c.id);
        return tx.votes.set(c.id, actor!.user.id, value, now, ranked);
      },
      { articleId: c.articleId },
    );
    return { ...counts, myVote: value };
  }

  close(): void {
    this.pages.close();
    for (const c of this.derived) c.close();
  }

  /**
   * A cache of something made from an article's guest page (its rendered HTML), dropped with the
   * guests' page on this node's own writes at once and on every event the bus brings; with
   * `serveStaleMs`, kept to be served that long while its replacement renders, and with
   * `refreshEveryMs` rendered at most that often however many events arrive (see PageCache).
   */
  derivedCache<T>(opts: { serveStaleMs?: number; refreshEveryMs?: number } = {}): PageCache<T> {
    const cache = new PageCache<T>(this.bus, undefined, undefined, opts.serveStaleMs, opts.refreshEveryMs);
    this.derived.push(cache as PageCache<unknown>);
    return cache;
  }

  private forget(articleId: number, lastEventId?: number): void {
    this.pages.invalidate(articleId, lastEventId);
    for (const c of this.derived) c.invalidate(articleId, lastEventId);
  }

  /** Passage comments in article order (orphans last), for the Inline Feedbacks list. */
  async passages(articleId: number, actor: Actor | null): Promise<CommentView[]> {
    await this.article(articleId);
    return this.views(await this.store.comments.passages(articleId, actor?.user.id ?? null, 500), actor);
  }

  /** Comments as an anonymous reader sees them (pending ones are left out), for live events. */
  async publicViews(ids: readonly number[]): Promise<Map<number, CommentView>> {
    const rows = (await this.store.comments.byIds(ids)).filter((c) => c.status === 'visible' || c.status === 'deleted');
    return new Map((await this.views(rows, null)).map((v) => [v.id, v]));
  }

  /** Everything the widget needs to draw the discussion, for SSR and for the embed. */
  async state(article: Article, actor: Actor | null, csrfToken: string | null, request: StateRequest): Promise<DiscussionState> {
    const reader = actor ? await this.readerPage(article.id, request.sort, request.cursor, actor, request.all ?? false) : null;
    return this.stateOf(article, actor, reader, csrfToken, request);
  }

  /**
   * The article as it is now and its discussion's state, as `state` gives it. A signed-in
   * reader's article version comes with the rest of what their view asks, in the same query.
   */
  async currentState(
    articleId: number,
    actor: Actor | null,
    csrfToken: string | null,
    request: StateRequest,
  ): Promise<{ article: Article; state: DiscussionState }> {
    if (!actor) {
      const article = await this.currentArticle(articleId);
      return { article, state: await this.state(article, null, csrfToken, request) };
    }
    const reader = await this.readerPage(articleId, request.sort, request.cursor, actor, request.all ?? false);
    const article = await this.articleAt(articleId, reader.facts.article);
    return { article, state: await this.stateOf(article, actor, reader, csrfToken, request) };
  }

  private async stateOf(
    article: Article,
    actor: Actor | null,
    reader: { page: ThreadPage; facts: ReaderFacts } | null,
    csrfToken: string | null,
    view: StateRequest,
  ): Promise<DiscussionState> {
    const { sort, cursor } = view;
    const focusCommentId = view.focusCommentId ?? null;
    const now = this.clock.now();
    // The page marks muted readers' comments, and the state lists them for the widget.
    const muted = new Set(reader?.facts.muted);
    let page = reader?.page ?? (await this.sharedPage(article.id, sort, cursor, view.all ?? false));
    let focusRoot: number | null = null;
    if (focusCommentId !== null) {
      const focused = await this.threadOf(focusCommentId, actor).catch(() => null);
      if (focused) {
        focusRoot = focused.comment.id;
        page = { ...page, threads: [focused, ...page.threads.filter((t) => t.comment.id !== focused.comment.id)] };
      }
    }
    // Threads a reader expanded without JavaScript come whole: in their place, or first when on another page.
    const expand = [...new Set(view.expand ?? [])].slice(0, MAX_EXPANDED);
    for (const id of expand) {
      if (page.threads.some((t) => t.comment.id === id && t.moreReplies === 0)) continue;
      const whole = await this.threadOf(id, actor).catch(() => null);
      if (!whole) continue;
      const at = page.threads.findIndex((t) => t.comment.id === whole.comment.id);
      page = { ...page, threads: at >= 0 ? page.threads.map((t, i) => (i === at ? whole : t)) : [whole, ...page.threads] };
    }
    // The next `Show N more replies` link keeps these threads open (and the linked one shown).
    const kept = focusRoot === null || expand.includes(focusRoot) ? expand : [...expand, focusRoot];
    const moreHref = `?sort=${sort}${cursor ? `&cursor=${cursor}` : view.all ? '&all=1' : ''}&expand=${kept.map((id) => `${id},`).join('')}`;
    const block = participationBlock(actor, article.commentPolicy, now);
    return {
      article: { id: article.id, slug: article.slug, title: article.title, policy: article.commentPolicy, commentCount: article.commentCount },
      viewer: actor ? this.accounts.viewerInfo(actor) : null,
      follow: reader ? followState(reader.facts.follow) : null,
      canParticipate: block === null,
      blockedReason: block,
      blockedMessage: block ? messages.errors[block] : null,
      csrfToken,
      page,
      focusCommentId,
      limits: { maxLength: this.limits.MAX_COMMENT_LENGTH, editWindowMinutes: this.limits.EDIT_WINDOW_MINUTES, indentDepth: this.limits.INDENT_DEPTH },
      now: now.toISOString(),
      timeZone: this.limits.PUBLICATION_TIMEZONE ?? 'UTC',
      moreHref,
      ...(view.linkTargets ? { elsewhere: await this.elsewhere(article.id, page) } : {}),
      // Comments by readers this viewer muted collapse, also those that arrive live.
      ...this.mutedList(muted),
    };
  }

  /**
   * Comments of the article this page does not show (see MAX_LINK_TARGETS): the page gives each
   * a stand-in for `#comment-ID` links that the server never sees, leading to `?comment=ID`.
   */
  private async elsewhere(articleId: number, page: ThreadPage): Promise<number[]> {
    // A reader's page shows what the shared page shows (their own held comments are not among
    // those readers can link to): asked once per shared page, not on every signed-in view.
    const shared = this.personalised.get(page) ?? page;
    let ids = this.linkTargets.get(shared);
    if (!ids) {
      ids = this.linkTargetsOf(articleId, shared);
      this.linkTargets.set(shared, ids);
      // A failed lookup (the database away for a moment) is asked again next time.
      ids.catch(() => this.linkTargets.delete(shared));
    }
    return ids;
  }

  private async linkTargetsOf(articleId: number, page: ThreadPage): Promise<number[]> {
    const shown = new Set(page.threads.flatMap((t) => [t.comment.id, ...t.replies.map((r) => r.id)]));
    // Each `Reply to <name>` on the page links to its parent: those lead somewhere first.
    const parents = page.threads.flatMap((t) => t.replies.map((r) => r.parentId ?? 0));
    const newest = await this.store.comments.visibleIds(articleId, MAX_LINK_TARGETS);
    return [...new Set([...parents, ...newest])].filter((id) => id > 0 && !shown.has(id));
  }
}
