import type { Comment } from './types.js';

/** What readers of a thread are told happened to one comment. */
export type DiscussionEventType = 'comment.created' | 'comment.edited' | 'comment.deleted' | 'comment.voted';

/** The parts of a comment a reader of the thread can see change. */
type Seen = Pick<Comment, 'status' | 'bodySrc' | 'editedAt' | 'pinned' | 'locked' | 'anchor' | 'up' | 'down' | 'score' | 'rankScore'> &
  Partial<Pick<Comment, 'featuredAt'>>;

const VOTE_FIELDS = ['up', 'down', 'score', 'rankScore'] as const;

const editedAt = (c: Seen) => c.editedAt?.getTime() ?? null;
const featuredAt = (c: Seen) => c.featuredAt?.getTime() ?? null;

/**
 * The event a change makes, from the comment before and after it (null: it did not exist), or
 * null when nothing a reader sees has changed. Readers see visible comments only: one coming into
 * view is `created` (a post, an approval), one leaving it is `deleted` (deleted, rejected, held
 * by reports or by an edit), and changes to a visible one are `voted` (counts only) or `edited`.
 * Comments that stay out of view (held, rejected) make no event at all.
 */
export function eventOf(before: Seen | null, after: Seen | null): DiscussionEventType | null {
  const was = before?.status === 'visible';
  const is = after?.status === 'visible';
  if (!was && !is) return null;
  if (!was) return 'comment.created';
  if (!is) return 'comment.deleted';
  const b = before!;
  const a = after!;
  const edited =
    b.bodySrc !== a.bodySrc ||
    editedAt(b) !== editedAt(a) ||
    b.pinned !== a.pinned ||
    b.locked !== a.locked ||
    // Featuring shows a badge: open pages redraw the comment (`edited` carries the whole view).
    featuredAt(b) !== featuredAt(a) ||
    JSON.stringify(b.anchor) !== JSON.stringify(a.anchor);
  if (edited) return 'comment.edited';
  return VOTE_FIELDS.some((f) => b[f] !== a[f]) ? 'comment.voted' : null;
}
