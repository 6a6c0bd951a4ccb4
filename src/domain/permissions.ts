import { messages } from '../messages.js';
import { AppError } from './errors.js';
import type { Article, Comment, CommentPolicy, Entitlement, Role, User } from './types.js';

/**
 * Who may do what in Parley. Every permission rule lives here and nowhere else: services and
 * routes ask these functions and turn a denial into an error with `denialError`. Each rule
 * answers `null` (allowed) or the reason it is not, so the API and the dashboard refuse with the
 * same code and words.
 *
 * Expected answers under an article open to `subscribers`. "own" is the actor's own visible
 * comment inside the edit window; "any" is another reader's visible comment or account.
 * ok = allowed; other cells are the denial (see `denialError` for the HTTP status); unauth is
 * 'unauthenticated'. tests/unit/permissions.test.ts holds the same table and checks it.
 *
 * action          | guest  | member           | subscriber       | suspended sub | banned sub    | moderator | suspended mod | banned mod | admin | banned admin
 * post            | signin | subscribe        | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
 * reply           | signin | subscribe        | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
 * edit own        | unauth | ok               | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
 * edit any        | unauth | edit_forbidden   | edit_forbidden   | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
 * delete own      | unauth | ok               | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
 * delete any      | unauth | delete_forbidden | delete_forbidden | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
 * vote            | signin | subscribe        | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
 * report          | unauth | ok               | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
 * moderate        | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | ok        | suspended     | suspended  | ok    | suspended
 * view queue      | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | ok        | suspended     | suspended  | ok    | suspended
 * suspend         | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | ok        | suspended     | suspended  | ok    | suspended
 * ban             | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | ok        | suspended     | suspended  | ok    | suspended
 * set role        | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | not_admin | not_admin     | not_admin  | ok    | suspended
 * view audit      | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | not_admin | not_admin     | not_admin  | ok    | suspended
 * change settings | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | not_admin | not_admin     | not_admin  | ok    | suspended
 *
 * member: signed in without a subscription; under a `members` article they post and vote too.
 * moderate: approve, reject, bulk, edit through the dashboard, pin, lock, close or reopen an article.
 *
 * Standing outweighs role: a banned or suspended moderator or admin keeps the role (lifting the
 * ban restores it) but has no staff power at all, and cannot write as a reader either. When the
 * role alone falls short, that is the answer given (`not_moderator`, `not_admin`), so it does not
 * change when a suspension runs out. Suspended and banned users still read; a ban also ends every
 * session of the account (services/moderation.ts), a suspension keeps them.
 *
 * Rules on accounts (suspend, unsuspend, ban, unban, set role):
 * | actor \ target | self          | reader | moderator | admin     |
 * |----------------|---------------|--------|-----------|-----------|
 * | moderator      | self_action   | ok     | not_admin | not_admin |
 * | admin          | self_action** | ok     | ok        | ok        |
 *  ** an admin may set their own role only to what it is (a no-op); demoting oneself is
 *     `self_action`, and demoting the last admin who is not banned is `last_admin` (checked first,
 *     as it holds whoever asks). Only admins change roles. An admin can ban another admin but never
 *     the last one: they would have to ban themselves.
 */

export interface Actor {
  user: User;
  subscriber: boolean;
  /** End of paid-up access; null when open-ended or not a subscriber. */
  subscriberUntil: Date | null;
  /** What the session found this from, so the subscription's state is told without asking again. */
  entitlements?: readonly Entitlement[];
}

export type BlockReason = 'signin' | 'subscribe' | 'closed' | 'suspended';
export type VoteBlock = BlockReason | 'own_comment' | 'not_votable';
export type Denial =
  | VoteBlock
  | 'unauthenticated'
  | 'edit_forbidden'
  | 'delete_forbidden'
  | 'report_own'
  | 'not_reportable'
  | 'not_moderator'
  | 'not_admin'
  | 'self_action'
  | 'last_admin';

/** The error a denial becomes: 401 for a missing sign-in, 409 for a state that may change, else 403. */
export function denialError(d: Denial): AppError {
  if (d === 'signin') return new AppError(401, 'unauthenticated', messages.errors.signin);
  if (d === 'unauthenticated') return new AppError(401, 'unauthenticated', messages.errors.unauthenticated);
  if (d === 'not_reportable' || d === 'last_admin') return new AppError(409, d, messages.errors[d]);
  return new AppError(403, d, messages.errors[d]);
}

/** Throws the denial as its error; for services that have nothing else to do with it. */
export function enforce(d: Denial | null): void {
  if (d) throw denialError(d);
}

// ---- standing and rank ----------------------------------------------------------------------

/** Banned for good, or suspended until a time still ahead. Either takes away every write. */
export function isSuspended(user: User, now: Date): boolean {
  return user.banned || (user.suspendedUntil !== null && user.suspendedUntil > now);
}

const hasStaffRole = (u: User) => u.role === 'moderator' || u.role === 'admin';

/** A moderator or admin in good standing: the only kind of user with staff powers. */
export const isModerator = (user: User, now: Date) => hasStaffRole(user) && !isSuspended(user, now);
export const isAdmin = (user: User, now: Date) => user.role === 'admin' && !isSuspended(user, now);

const actsAsStaff = (actor: Actor | null, now: Date): boolean => actor !== null && isModerator(actor.user, now);

/** Whether the reader's rights (to edit, to delete) reach comments they did not write: staff's do. */
export const rightsReachOthers = (actor: Actor, now: Date): boolean => actsAsStaff(actor, now);

/** Staff answer in locked and pre-moderated threads without waiting for themselves. */
export const exemptFromPostingRules = (actor: Actor, now: Date) => isModerator(actor.user, now);

// ---- taking part ----------------------------------------------------------------------------

/**
 * Why `actor` may not post, reply or vote under an article with `policy`, or null if they may.
 * Staff may always take part so that they can answer in closed threads.
 */
export function participationBlock(actor: Actor | null, policy: CommentPolicy, now: Date): BlockReason | null {
  if (actor && isSuspended(actor.user, now)) return 'suspended';
  if (actsAsStaff(actor, now)) return null;
  if (policy === 'closed') return 'closed';
  if (!actor) return 'signin';
  if (policy === 'subscribers' && !actor.subscriber) return 'subscribe';
  return null;
}

export function canParticipate(actor: Actor | null, article: Pick<Article, 'commentPolicy'>, now: Date): boolean {
  return participationBlock(actor, article.commentPolicy, now) === null;
}

export function voteBlock(
  actor: Actor | null,
  article: Pick<Article, 'commentPolicy'>,
  comment: Pick<Comment, 'authorId' | 'status'>,
  now: Date,
): VoteBlock | null {
  const block = participationBlock(actor, article.commentPolicy, now);
  if (block) return block;
  if (comment.status !== 'visible') return 'not_votable';
  if (actor!.user.id === comment.authorId) return 'own_comment';
  return null;
}

/**
 * Authors edit within the window; staff edit any comment any time. Deleted comments stay as they
 * are. Whoever cannot write (suspended, banned) cannot edit either, their own words included.
 */
export function editBlock(actor: Actor | null, comment: Pick<Comment, 'authorId' | 'createdAt' | 'status'>, now: Date, windowMinutes: number): Denial | null {
  if (!actor) return 'unauthenticated';
  if (isSuspended(actor.user, now)) return 'suspended';
  if (comment.status === 'deleted') return 'edit_forbidden';
  if (actsAsStaff(actor, now)) return null;
  // Authorship first: a comment's time may cost a parse (personalView), and most are not the reader's.
  if (actor.user.id !== comment.authorId) return 'edit_forbidden';
  return now.getTime() - comment.createdAt.getTime() <= windowMinutes * 60_000 ? null : 'edit_forbidden';
}

export function canEdit(actor: Actor | null, comment: Pick<Comment, 'authorId' | 'createdAt' | 'status'>, now: Date, windowMinutes: number): boolean {
  return editBlock(actor, comment, now, windowMinutes) === null;
}

/** Authors delete their own words at any time, staff anyone's; not while suspended or banned. */
export function deleteBlock(actor: Actor | null, comment: Pick<Comment, 'authorId' | 'status'>, now: Date): Denial | null {
  if (!actor) return 'unauthenticated';
  if (isSuspended(actor.user, now)) return 'suspended';
  if (comment.status === 'deleted') return 'delete_forbidden';
  return actsAsStaff(actor, now) || actor.user.id === comment.authorId ? null : 'delete_forbidden';
}

export function canDelete(actor: Actor | null, comment: Pick<Comment, 'authorId' | 'status'>, now: Date): boolean {
  return deleteBlock(actor, comment, now) === null;
}

/** Any signed-in reader in good standing flags others' published comments; no subscription needed. */
export function reportBlock(actor: Actor | null, comment: Pick<Comment, 'authorId' | 'status'>, now: Date): Denial | null {
  if (!actor) return 'unauthenticated';
  if (isSuspended(actor.user, now)) return 'suspended';
  if (comment.authorId === actor.user.id) return 'report_own';
  if (comment.status !== 'visible') return 'not_reportable';
  return null;
}

// ---- staff ----------------------------------------------------------------------------------

/** The moderation queue and every action on comments, threads and an article's policy. */
export function moderateBlock(actor: Actor | null, now: Date): Denial | null {
  if (!actor) return 'unauthenticated';
  if (!hasStaffRole(actor.user)) return 'not_moderator';
  return isSuspended(actor.user, now) ? 'suspended' : null;
}

/** Site settings, per-article pre-moderation, the staff list, roles and the audit log. */
export function adminBlock(actor: Actor | null, now: Date): Denial | null {
  const d = moderateBlock(actor, now);
  if (d === 'unauthenticated' || d === 'not_moderator') return d;
  if (actor!.user.role !== 'admin') return 'not_admin';
  return d;
}

/** Suspending, banning and lifting either: moderators act on readers, admins on anyone but themselves. */
export function userActionBlock(actor: Actor | null, target: Pick<User, 'id' | 'role'>, now: Date): Denial | null {
  const d = moderateBlock(actor, now);
  if (d) return d;
  if (target.id === actor!.user.id) return 'self_action';
  if (target.role !== 'reader' && actor!.user.role !== 'admin') return 'not_admin';
  return null;
}

/**
 * Changing `target`'s role to `role`, given how many admins in good standing (not banned) there
 * are now. The site always keeps one, and no admin demotes themselves: another admin must.
 */
export function roleChangeBlock(actor: Actor | null, target: Pick<User, 'id' | 'role' | 'banned'>, role: Role, activeAdmins: number, now: Date): Denial | null {
  const d = adminBlock(actor, now);
  if (d) return d;
  if (target.role === role) return null;
  return keepsAnAdmin(target, role, activeAdmins) ?? (target.id === actor!.user.id ? 'self_action' : null);
}

/** The one role rule that binds the command line too: the last admin who is not banned stays one. */
export function keepsAnAdmin(target: Pick<User, 'role' | 'banned'>, role: Role, activeAdmins: number): Denial | null {
  return target.role === 'admin' && role !== 'admin' && !target.banned && activeAdmins <= 1 ? 'last_admin' : null;
}

// ---- one entry point, for tables of answers ---------------------------------------------------

type ActorRule<S> = (actor: Actor | null, subject: S, now: Date) => Denial | null;
type CommentRef = Pick<Comment, 'authorId' | 'createdAt' | 'status'>;

/** What each action is about. */
export interface Subjects {
  post: { policy: CommentPolicy };
  reply: { policy: CommentPolicy };
  edit: { comment: CommentRef; editWindowMinutes: number };
  delete: { comment: CommentRef };
  vote: { policy: CommentPolicy; comment: CommentRef };
  report: { comment: CommentRef };
  moderate: object;
  view_queue: object;
  suspend: { user: Pick<User, 'id' | 'role'> };
  ban: { user: Pick<User, 'id' | 'role'> };
  set_role: { user: Pick<User, 'id' | 'role' | 'banned'>; role: Role; activeAdmins: number };
  view_audit: object;
  change_settings: object;
}
export type Action = keyof Subjects;

const RULES: { [A in Action]: ActorRule<Subjects[A]> } = {
  post: (a, s, now) => participationBlock(a, s.policy, now),
  reply: (a, s, now) => participationBlock(a, s.policy, now),
  edit: (a, s, now) => editBlock(a, s.comment, now, s.editWindowMinutes),
  delete: (a, s, now) => deleteBlock(a, s.comment, now),
  vote: (a, s, now) => voteBlock(a, { commentPolicy: s.policy }, s.comment, now),
  report: (a, s, now) => reportBlock(a, s.comment, now),
  moderate: (a, _s, now) => moderateBlock(a, now),
  view_queue: (a, _s, now) => moderateBlock(a, now),
  suspend: (a, s, now) => userActionBlock(a, s.user, now),
  ban: (a, s, now) => userActionBlock(a, s.user, now),
  set_role: (a, s, now) => roleChangeBlock(a, s.user, s.role, s.activeAdmins, now),
  view_audit: (a, _s, now) => adminBlock(a, now),
  change_settings: (a, _s, now) => adminBlock(a, now),
};

/** Why `actor` may not do `action` on `subject` at `now`, or null if they may. */
export function check<A extends Action>(actor: Actor | null, action: A, subject: Subjects[A], now: Date): Denial | null {
  return (RULES[action] as ActorRule<Subjects[A]>)(actor, subject, now);
}

export function can<A extends Action>(actor: Actor | null, action: A, subject: Subjects[A], now: Date): boolean {
  return check(actor, action, subject, now) === null;
}
