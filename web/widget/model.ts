/**
 * Pure updates of the list of threads the widget shows. Every function returns new arrays
 * (Preact compares by identity) and none of them can make a comment id appear twice.
 */
import { mergeReplies } from '../../src/domain/tree.js';
import type { CommentView, ThreadView } from '../../src/domain/types.js';

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
