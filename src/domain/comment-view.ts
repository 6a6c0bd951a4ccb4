import { canDelete, canEdit, rightsReachOthers, type Actor } from './permissions.js';
import type { Comment, CommentView } from './types.js';
import type { VoteValue } from './votes.js';

/** What a given reader may see of a comment: a deleted one keeps its place and nothing else. */
export function commentView(c: Comment, actor: Actor | null, myVote: VoteValue, now: Date, editWindowMinutes: number): CommentView {
  const deleted = c.status === 'deleted';
  const mine = actor !== null && actor.user.id === c.authorId;
  return {
    id: c.id,
    parentId: c.parentId,
    rootId: c.rootId,
    depth: c.depth,
    author: deleted ? null : { id: c.authorId, name: c.authorName },
    replyTo: c.replyToName,
    bodyHtml: deleted ? '' : c.bodyHtml,
    // The source is only needed to edit or quote; quoting works from any visible comment.
    bodySrc: deleted ? null : c.bodySrc,
    status: c.status === 'rejected' ? 'pending' : c.status,
    createdAt: c.createdAt.toISOString(),
    editedAt: deleted ? null : (c.editedAt?.toISOString() ?? null),
    editedBy: deleted ? null : c.editedByName,
    score: c.score,
    up: c.up,
    down: c.down,
    myVote: mine ? 0 : myVote,
    replyCount: c.replyCount,
    anchor: deleted ? null : c.anchor,
    canEdit: canEdit(actor, c, now, editWindowMinutes),
    canDelete: canDelete(actor, c, now),
    pinned: c.pinned,
    locked: c.locked,
    // Only when true: most comments are not the author's, and every byte of the page counts.
    ...(c.byArticleAuthor && !deleted ? { byArticleAuthor: true } : {}),
    ...(c.featuredAt && !deleted ? { featured: true } : {}),
  };
}

/**
 * A view made for guests, adjusted for one signed-in reader: their vote and their rights. Lets
 * signed-in readers share the guests' cached pages instead of recomputing them.
 */
export function personalView(v: CommentView, actor: Actor, myVote: VoteValue, now: Date, editWindowMinutes: number): CommentView {
  // Most of a page: another's comment the reader has not voted on, which only staff have rights
  // over. The guests' view is theirs then, and nothing is made to find that out.
  if (myVote === 0 && v.myVote === 0 && !v.canEdit && !v.canDelete && v.author?.id !== actor.user.id && !rightsReachOthers(actor, now)) return v;
  // Its time is parsed only when a right depends on it (the reader's own comments): most do not.
  const c = {
    authorId: v.author?.id ?? -1,
    status: v.status,
    get createdAt() {
      return new Date(v.createdAt);
    },
  };
  const mine = { myVote: c.authorId === actor.user.id ? 0 : myVote, canEdit: canEdit(actor, c, now, editWindowMinutes), canDelete: canDelete(actor, c, now) };
  // Unchanged, the view itself: what a reader's page shares with the guests' is then the same
  // objects, and work keyed by them (the page's state, its markup) is done once for all.
  if (mine.myVote === v.myVote && mine.canEdit === v.canEdit && mine.canDelete === v.canDelete) return v;
  return { ...v, ...mine };
}
