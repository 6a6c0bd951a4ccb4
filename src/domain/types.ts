/** Core domain types shared by services, HTTP, SSR and the browser widget. No I/O here. */
import type { FollowState, PassageRef, ThreadPage } from './views.js';

// Shapes that cross HTTP are defined once, as schemas, in views.ts.
export type { CommentView, FollowState, PassageRef, ThreadPage, ThreadView } from './views.js';

export type Role = 'reader' | 'moderator' | 'admin';
export type CommentPolicy = 'subscribers' | 'members' | 'closed';
export type CommentStatus = 'visible' | 'pending' | 'rejected' | 'deleted';
/** `featured`: the editors' picks only, newest pick first. */
export type SortOrder = 'top' | 'newest' | 'oldest' | 'featured';
export const SORT_ORDERS: readonly SortOrder[] = ['top', 'newest', 'oldest', 'featured'];

export interface User {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  createdAt: Date;
  suspendedUntil: Date | null;
  banned: boolean;
}

export type EntitlementSource = 'stripe' | 'sso' | 'manual';
export type EntitlementStatus = 'active' | 'trialing' | 'past_due' | 'canceled' | 'revoked';

export interface Entitlement {
  userId: number;
  source: EntitlementSource;
  status: EntitlementStatus;
  /** null means open-ended (a manual grant without an end date). */
  currentPeriodEnd: Date | null;
}

export interface Article {
  id: number;
  slug: string;
  url: string | null;
  title: string;
  standfirst: string;
  author: string;
  authorBio: string;
  authorHandle: string;
  image: string | null;
  imageCredit: string;
  publishedAt: Date;
  body: string;
  commentPolicy: CommentPolicy;
  commentCount: number;
}

export interface Comment {
  id: number;
  articleId: number;
  parentId: number | null;
  rootId: number | null;
  depth: number;
  authorId: number;
  authorName: string;
  bodySrc: string;
  bodyHtml: string;
  status: CommentStatus;
  createdAt: Date;
  editedAt: Date | null;
  editedByName: string | null;
  /** Name of the author of the parent comment, null for top-level or a deleted parent. */
  replyToName: string | null;
  /** Written by the article's own author (their account, articles.author_user_id). */
  byArticleAuthor?: boolean;
  score: number;
  up: number;
  down: number;
  /** For a top-level comment: rows in its thread that readers see (visible or deleted placeholders). */
  replyCount: number;
  anchor: PassageRef | null;
  /** The 'top' sort key: score without the votes of accounts too young to count. */
  rankScore: number;
  /** Shown above the other top-level comments of its article. */
  pinned: boolean;
  /** On a top-level comment: no new replies in its thread. */
  locked: boolean;
  /** When a moderator made it an editors' pick; null if it is not one. */
  featuredAt: Date | null;
  /** Why it was held for moderation or rejected (a rule's or moderator's reason), if it was. */
  moderationReason: string | null;
}

export interface ViewerInfo {
  id: number;
  name: string;
  email: string;
  role: Role;
  subscriber: boolean;
  subscriberUntil: string | null;
}

/** What the widget needs to render an article's discussion; also embedded in the SSR page for hydration. */
export interface DiscussionState {
  article: { id: number; slug: string; title: string; policy: CommentPolicy; commentCount: number };
  viewer: ViewerInfo | null;
  /** null for guests, who may follow by email instead. */
  follow: FollowState | null;
  /** Whether the server will accept a post, reply or vote from this viewer on this article. */
  canParticipate: boolean;
  /** Why not, as a messages key, when canParticipate is false. */
  blockedReason: 'signin' | 'subscribe' | 'closed' | 'suspended' | null;
  /** The same, as a sentence for the reader (translated on the server). */
  blockedMessage: string | null;
  csrfToken: string | null;
  page: ThreadPage;
  /** Thread the page was asked to show first (deep link), if any. */
  focusCommentId: number | null;
  limits: { maxLength: number; editWindowMinutes: number; indentDepth: number };
  /** ISO time the server rendered this state, so relative times agree before hydration. */
  now: string;
  /** PUBLICATION_TIMEZONE: exact times on hover are the publication's, not UTC's. */
  timeZone: string;
  /**
   * Readers this viewer muted, and the line their comments collapse to: only ever sent to the
   * viewer who muted them; absent when none.
   */
  muted?: { ids: number[]; label: string };
  /**
   * Where a no-JS `Show N more replies` link goes, the thread's id to be added at its end: this
   * page (sort, cursor) with the threads already expanded kept open.
   */
  moreHref?: string;
  /** Comments this page does not show, given stand-ins for `#comment-ID` links (rendered pages only, not hydrated). */
  elsewhere?: number[];
}
