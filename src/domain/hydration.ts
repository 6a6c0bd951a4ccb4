/**
 * The comments of a page's hydration state, without what the widget can know otherwise (issue
 * 12: a 70-comment page spelled out ~380 bytes of state per comment). The server's markup already
 * shows each body, author name, time and score, and the comment a reply answers (its "Reply to"
 * link); a comment's thread says its root, the parent shown before it says its depth and whom it
 * answers, its score and down votes say its up votes; and most fields hold the same value on most
 * comments. `compactThreads` leaves out every field the widget would guess right,
 * `restoreThreads` (in the browser) makes the same guesses, so the widget sees exactly the threads
 * the server rendered.
 */
import type { CommentView, ThreadView } from './views.js';

/** What most comments hold. */
export const USUAL = {
  parentId: null,
  bodySrc: null,
  status: 'visible',
  editedAt: null,
  editedBy: null,
  up: 0,
  down: 0,
  myVote: 0,
  replyCount: 0,
  anchor: null,
  canEdit: false,
  canDelete: false,
  pinned: false,
  locked: false,
} as const;

/** A thread as the page's state carries it. */
export type CompactThread = Partial<Omit<ThreadView, 'comment' | 'replies'>> & { comment: CompactComment; replies?: CompactComment[] };
/** A comment as the page's state carries it; its author is their id alone (the markup shows the name). */
export type CompactComment = Partial<Omit<CommentView, 'author'>> & { id: number; author?: number | null };

/** What the markup says of a shown comment. */
export interface Shown {
  bodyHtml: string;
  name: string;
  createdAt: string;
  /** The comment its "Reply to" link points at, if it has one. */
  parentId: number | null;
  /** Its score; null when it shows none (a deleted comment). */
  score: number | null;
}

type Guess = Record<string, unknown>;

/**
 * The widget's guess for each field a comment's entry may leave out (`parent`: its parent, if
 * shown before it; `score`: the score the markup shows, if any).
 */
const guess = (c: Pick<CompactComment, 'parentId' | 'up' | 'down'>, rootId: number, parent: CommentView | undefined, score: number | null): Guess => ({
  ...USUAL,
  rootId: c.parentId == null ? null : rootId,
  depth: parent ? parent.depth + 1 : 0,
  replyTo: parent?.author?.name ?? null,
  up: score === null ? 0 : score + (c.down ?? 0),
  score: score ?? (c.up ?? 0) - (c.down ?? 0),
});

const compacted = new WeakMap<CommentView, CompactComment>();

/** The threads of a page as its hydration state carries them. */
export function compactThreads(threads: readonly ThreadView[]): CompactThread[] {
  return threads.map((t) => {
    const seen = new Map<number, CommentView>();
    const compact = (c: CommentView): CompactComment => {
      const parent = seen.get(c.parentId ?? -1);
      seen.set(c.id, c);
      // A view shared by many pages (the guests', every reader's) is compacted once: what it
      // is compared with (its thread, its parent's depth and name) is the same on each.
      const known = compacted.get(c);
      if (known) return known;
      const g = guess(c, t.comment.id, parent, c.status === 'deleted' ? null : c.score);
      const out: Guess = {};
      for (const [k, v] of Object.entries(c)) {
        // In the markup: the body (a deleted comment's is empty), the time, the author's name,
        // the parent a "Reply to" link points at. The source is fetched by the editor.
        if (k === 'bodyHtml' || k === 'bodySrc' || k === 'createdAt' || (k === 'parentId' && c.replyTo)) continue;
        // Other flags (the author's badge, featured) are only ever set to true.
        if (k in g ? v === g[k] : v === false) continue;
        out[k] = k === 'author' && c.author ? c.author.id : v;
      }
      compacted.set(c, out as CompactComment);
      return out as CompactComment;
    };
    const out: CompactThread = { comment: compact(t.comment) };
    if (t.replies.length) out.replies = t.replies.map(compact);
    if (t.repliesCursor !== null) out.repliesCursor = t.repliesCursor;
    if (t.moreReplies) out.moreReplies = t.moreReplies;
    return out;
  });
}

/**
 * A signed-in reader's own values of the comments their page shows otherwise than the page every
 * reader shares (their vote, their rights, a mute), by comment id. Their page's state then
 * carries the shared threads as they are, compacted once for all readers, and these beside them.
 */
export type OwnFields = Record<number, Record<string, unknown>>;

/** What a page's state may carry beside its threads: the reader's own fields of shared ones. */
export interface OwnHydration {
  own?: OwnFields;
}

type Fields = Record<string, unknown>;

/** The fields of `mine` that differ from `shared`'s, or null when one cannot be told as a plain value (or `mine` lacks one). */
function differing(mine: Fields, shared: Fields, skip: ReadonlySet<string>): Fields | null {
  const out: Fields = {};
  for (const k in shared) if (!skip.has(k) && !(k in mine)) return null;
  for (const k in mine) {
    if (skip.has(k) || mine[k] === shared[k]) continue;
    if (typeof mine[k] === 'object' && mine[k] !== null) return null;
    out[k] = mine[k];
  }
  return out;
}

const NONE = new Set<string>();
const THREAD_PARTS = new Set(['comment', 'replies']);

/**
 * What of a reader's threads differs from the shared page's (`shared`, which they were made
 * from): per comment, the fields with other values. Null when the threads differ in more than
 * plain fields of the same comments in the same places; the reader's threads then go whole.
 */
export function ownFields(threads: readonly ThreadView[], shared: readonly ThreadView[]): OwnFields | null {
  if (threads.length !== shared.length) return null;
  const own: OwnFields = {};
  for (let i = 0; i < threads.length; i++) {
    const t = threads[i]!;
    const s = shared[i]!;
    if (t.replies.length !== s.replies.length) return null;
    const rest = differing(t as unknown as Fields, s as unknown as Fields, THREAD_PARTS);
    if (rest === null || Object.keys(rest).length) return null;
    for (let j = -1; j < t.replies.length; j++) {
      const c = j < 0 ? t.comment : t.replies[j]!;
      const b = j < 0 ? s.comment : s.replies[j]!;
      if (c === b) continue;
      if (c.id !== b.id) return null;
      const d = differing(c as unknown as Fields, b as unknown as Fields, NONE);
      if (d === null) return null;
      if (Object.keys(d).length) own[c.id] = d;
    }
  }
  return own;
}

/**
 * The threads the server rendered, from the page's state and its markup (`shown(id)`), with the
 * reader's `own` fields where the state carries them apart. Fills in `threads` itself and returns it.
 */
export function restoreThreads(threads: CompactThread[], shown: (id: number) => Shown, own?: OwnFields): ThreadView[] {
  for (const t of threads) {
    t.replies ??= [];
    t.repliesCursor ??= null;
    t.moreReplies ??= 0;
    const seen = new Map<number, CommentView>();
    for (const c of [t.comment, ...t.replies] as (CompactComment & Guess)[]) {
      const m = shown(c.id);
      if (!('parentId' in c)) c.parentId = m.parentId;
      const g = guess(c, t.comment.id, seen.get(c.parentId ?? -1), m.score);
      g.bodyHtml = c.status === 'deleted' ? '' : m.bodyHtml;
      g.createdAt = m.createdAt;
      for (const k in g) if (!(k in c)) c[k] = g[k];
      if (typeof c.author === 'number') (c as Guess).author = { id: c.author, name: m.name };
      if (own?.[c.id]) Object.assign(c, own[c.id]);
      seen.set(c.id, c as unknown as CommentView);
    }
  }
  return threads as ThreadView[];
}
