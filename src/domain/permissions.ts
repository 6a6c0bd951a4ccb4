import type { Article, Comment, CommentPolicy, User } from './types.js';

export type BlockReason = 'signin' | 'subscribe' | 'closed' | 'suspended';

export interface Actor {
  user: User;
  subscriber: boolean;
  /** End of paid-up access; null when open-ended or not a subscriber. */
  subscriberUntil: Date | null;
}

const isStaff = (u: User) => u.role === 'moderator' || u.role === 'admin';

export function isSuspended(user: User, now: Date): boolean {
  return user.banned || (user.suspendedUntil !== null && user.suspendedUntil > now);
}

/**
 * Why `actor` may not post, reply or vote under an article with `policy`, or null if they may.
 * Staff may always take part so that they can answer in closed threads.
 */
export function participationBlock(actor: Actor | null, policy: CommentPolicy, now: Date): BlockReason | null {
  if (actor && isSuspended(actor.user, now)) return 'suspended';
  if (actor && isStaff(actor.user)) return null;
  if (policy === 'closed') return 'closed';
  if (!actor) return 'signin';
  if (policy === 'subscribers' && !actor.subscriber) return 'subscribe';
  return null;
}

export function canParticipate(actor: Actor | null, article: Pick<Article, 'commentPolicy'>, now: Date): boolean {
  return participationBlock(actor, article.commentPolicy, now) === null;
}

/** Authors edit within the window; staff edit any time. Deleted comments stay as they are. */
export function canEdit(actor: Actor | null, comment: Pick<Comment, 'authorId' | 'createdAt' | 'status'>, now: Date, windowMinutes: number): boolean {
  if (!actor || comment.status === 'deleted' || isSuspended(actor.user, now)) return false;
  if (isStaff(actor.user)) return true;
  return actor.user.id === comment.authorId && now.getTime() - comment.createdAt.getTime() <= windowMinutes * 60_000;
}

/** Authors may always delete their own words; staff any. */
export function canDelete(actor: Actor | null, comment: Pick<Comment, 'authorId' | 'status'>): boolean {
  if (!actor || comment.status === 'deleted') return false;
  return isStaff(actor.user) || actor.user.id === comment.authorId;
}

export type VoteBlock = BlockReason | 'own_comment' | 'not_votable';

export function voteBlock(actor: Actor | null, article: Pick<Article, 'commentPolicy'>, comment: Pick<Comment, 'authorId' | 'status'>, now: Date): VoteBlock | null {
  const block = participationBlock(actor, article.commentPolicy, now);
  if (block) return block;
  if (comment.status !== 'visible') return 'not_votable';
  if (actor!.user.id === comment.authorId) return 'own_comment';
  return null;
}
