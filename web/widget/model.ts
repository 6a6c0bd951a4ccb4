/**
 * Pure updates of what the discussion widget shows: `discussion` folds each action into a new
 * `View`. Every function returns new arrays (Preact compares by identity) and none of them can
 * make a comment id appear twice.
 */
import { mergeReplies } from '../../src/domain/tree.js';
import type { SortOrder } from '../../src/domain/types.js';
import type { CommentView, LiveEventData, LiveEventType, RepliesPage, ThreadPage, ThreadView } from '../../src/domain/views.js';

/** Puts `thread` first, dropping any copy of it further down (a deep link or a new post). */
export function prependThread(threads: readonly ThreadView[], thread: ThreadView): ThreadView[] {
  return [thread, ...threads.filter((t) => t.comment.id !== thread.comment.id)];
}

/** Appends a further page, skipping threads already shown (a new post or a deep-linked thread). */
export function appendThreads(threads: readonly ThreadView[], more: readonly ThreadView[]): ThreadView[] {
  const seen = new Set(threads.map((t) => t.comment.id));
  const fresh = more.filter((t) => !seen.has(t.comment.id) && seen.add(t.comment.id));
  return fresh.length ? [...threads, ...fresh] : [...threads];
}

/** Applies `fn` to the comment with `id`, wherever it is shown. */
export function mapComment(threads: readonly ThreadView[], id: number, fn: (c: CommentView) => CommentView): ThreadView[] {
  return threads.map((t) => {
    if (t.comment.id === id) return { ...t, comment: fn(t.comment) };
    const i = t.replies.findIndex((r) => r.id === id);
    if (i < 0) return t;
    const replies = t.replies.slice();
    replies[i] = fn(replies[i]!);
    return { ...t, replies };
  });
}

/** The id of the thread a comment belongs to. */
export const rootOf = (c: Pick<CommentView, 'id' | 'rootId'>): number => c.rootId ?? c.id;

/** Shows a new reply in its thread, in time order. */
export function addReply(threads: readonly ThreadView[], reply: CommentView): ThreadView[] {
  const root = rootOf(reply);
  return threads.map((t) => (t.comment.id === root ? { ...t, replies: mergeReplies(t.replies, [reply]) } : t));
}

/** Merges a further page of a thread's replies and moves its cursor on. */
export function addMoreReplies(
  threads: readonly ThreadView[],
  rootId: number,
  page: { replies: CommentView[]; repliesCursor: string | null; moreReplies: number },
): ThreadView[] {
  return threads.map((t) =>
    t.comment.id === rootId
      ? { ...t, replies: mergeReplies(t.replies, page.replies), repliesCursor: page.repliesCursor, moreReplies: page.repliesCursor ? page.moreReplies : 0 }
      : t,
  );
}

export function findComment(threads: readonly ThreadView[], id: number): CommentView | undefined {
  for (const t of threads) {
    if (t.comment.id === id) return t.comment;
    const r = t.replies.find((x) => x.id === id);
    if (r) return r;
  }
  return undefined;
}

/** Up and down counts after the viewer's vote moves from `from` to `to` (for an optimistic update). */
export function revote(c: Pick<CommentView, 'up' | 'down' | 'score'>, from: -1 | 0 | 1, to: -1 | 0 | 1) {
  const up = c.up - (from === 1 ? 1 : 0) + (to === 1 ? 1 : 0);
  const down = c.down - (from === -1 ? 1 : 0) + (to === -1 ? 1 : 0);
  return { up, down, score: c.score - from + to, myVote: to };
}

/**
 * A Markdown blockquote of `text` with its attribution, ready to be followed by a reply:
 * "> line" for each line, then "> — Name", then an empty line.
 */
export function quoteMarkdown(text: string, name: string): string {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  // Runs of blank lines collapse into one quoted blank line so paragraphs survive.
  const quoted = lines.map((l) => (l.trim() ? `> ${l.trimEnd()}` : '>')).filter((l, i, all) => !(l === '>' && all[i - 1] === '>'));
  return `${quoted.join('\n')}\n>\n> — ${name}\n\n`;
}

/** Characters as the server counts them: code points of the cleaned text. */
export function countChars(text: string): number {
  let n = 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  for (const _ of text.normalize('NFC').trim()) n++;
  return n;
}

/** `#comment-123` -> 123 */
export function commentIdFromHash(hash: string): number | null {
  const m = /^#comment-(\d{1,15})$/.exec(hash);
  return m ? Number(m[1]) : null;
}

/** One event of an article's live stream (`/articles/:id/events`): its type and its data (none for a reset). */
export type LiveMessage = { type: LiveEventType | 'reset' } & Partial<LiveEventData>;

/** The discussion as the widget shows it. */
export interface View {
  sort: SortOrder;
  /** The tab shown: a sort order, or the comments on passages. */
  tab: SortOrder | 'inline';
  threads: ThreadView[];
  nextCursor: string | null;
  count: number;
  /** New threads the chosen order does not put first: offered behind a button. */
  waiting: number;
  /** New threads live updates put first, counted so that each is announced. */
  arrived: number;
  /** Counts the live stream's resets: each one asks for the first page again. */
  stale: number;
  /** A page is being fetched (unset: not yet). */
  busy?: boolean;
  error?: string | null;
  /** The comment a link pointed at. */
  highlight: number | null;
}

/** The fields an action may simply set. */
type Settable = Pick<View, 'sort' | 'tab' | 'busy' | 'error' | 'highlight'>;

export type Action =
  /** Sort order, tab, loading, failure, the comment a link points at. */
  | { type: 'set'; to: Partial<Settable> }
  /** The first page of an order, or (`more`) the next one. */
  | { type: 'page'; page: Pick<ThreadPage, 'threads' | 'nextCursor'>; more?: boolean }
  | { type: 'posted'; comment: CommentView; count: number }
  /** An edit, a deletion or a vote: `to` makes the new copy of comment `id` from the one shown. */
  | { type: 'changed'; id: number; to: (old: CommentView) => CommentView; count?: number }
  | { type: 'replies'; rootId: number; page: RepliesPage }
  /** A thread fetched for a link to one of its comments. */
  | { type: 'thread'; thread: ThreadView }
  /**
   * A live event, with the function that folds it in: that arrives with the live module, after
   * the page is interactive, so the first download does not carry it.
   */
  | { type: 'live'; msg: LiveMessage; viewerId: number | null; fold: LiveFold };

/** Folds a live event into the view, with this reducer and `findComment` (passed in, not imported, so the live chunk shares nothing with the first download). */
export type LiveFold = (v: View, msg: LiveMessage, viewerId: number | null, reduce: typeof discussion, find: typeof findComment) => View;

export const newThread = (comment: CommentView): ThreadView => ({ comment, replies: [], repliesCursor: null, moreReplies: 0 });

/** The reducer of the discussion widget. */
export function discussion(v: View, a: Action): View {
  const ts = v.threads;
  switch (a.type) {
    case 'set':
      return { ...v, ...a.to };
    case 'page':
      return a.more
        ? { ...v, threads: appendThreads(ts, a.page.threads), nextCursor: a.page.nextCursor }
        : { ...v, threads: a.page.threads, nextCursor: a.page.nextCursor, waiting: 0 };
    case 'posted': {
      const c = a.comment;
      return { ...v, count: a.count, threads: c.parentId === null ? prependThread(ts, newThread(c)) : addReply(ts, c) };
    }
    case 'changed':
      return { ...v, count: a.count ?? v.count, threads: mapComment(ts, a.id, a.to) };
    case 'replies':
      return { ...v, threads: addMoreReplies(ts, a.rootId, a.page) };
    case 'thread':
      return { ...v, threads: prependThread(ts, a.thread) };
    case 'live':
      return a.fold(v, a.msg, a.viewerId, discussion, findComment);
  }
}
