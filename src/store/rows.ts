import type { Selectable } from 'kysely';
import type { Article, Comment, CommentPolicy, CommentStatus, Entitlement, EntitlementSource, EntitlementStatus, Role, User } from '../domain/types.js';
import type { ArticlesTable, CommentsTable, EntitlementsTable, UsersTable } from './schema.js';

const date = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));

export function toUser(r: Selectable<UsersTable>): User {
  return {
    id: Number(r.id),
    email: r.email,
    displayName: r.display_name,
    role: r.role as Role,
    createdAt: new Date(Number(r.created_at)),
    suspendedUntil: date(r.suspended_until),
    banned: r.banned === 1,
  };
}

export function toEntitlement(r: Selectable<EntitlementsTable>): Entitlement {
  return {
    userId: Number(r.user_id),
    source: r.source as EntitlementSource,
    status: r.status as EntitlementStatus,
    currentPeriodEnd: date(r.current_period_end),
  };
}

export function toArticle(r: Selectable<ArticlesTable>): Article {
  return {
    id: Number(r.id),
    slug: r.slug,
    url: r.url,
    title: r.title,
    standfirst: r.standfirst,
    author: r.author,
    authorBio: r.author_bio,
    authorHandle: r.author_handle,
    image: r.image,
    imageCredit: r.image_credit,
    publishedAt: new Date(Number(r.published_at)),
    body: r.body,
    // A moderator closing (or opening) a discussion wins over the article's own setting.
    commentPolicy: (r.policy_override ?? r.comment_policy) as CommentPolicy,
    commentCount: Number(r.comment_count),
  };
}

/** Only the quote and its current place: the full selectors stay in the database. */
function toPassage(r: Selectable<CommentsTable>): Comment['anchor'] {
  if (!r.anchor || r.anchor_status === null) return null;
  const exact = (JSON.parse(r.anchor) as { quote: { exact: string } }).quote.exact;
  return { exact, start: r.anchor_start ?? 0, end: r.anchor_end ?? 0, status: r.anchor_status === 'anchored' ? 'anchored' : 'orphaned' };
}

export type CommentRow = Selectable<CommentsTable> & {
  author_name: string;
  editor_name: string | null;
  reply_to_name: string | null;
  by_article_author?: number | boolean | null;
};

export function toComment(r: CommentRow): Comment {
  return {
    id: Number(r.id),
    articleId: Number(r.article_id),
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    rootId: r.root_id === null ? null : Number(r.root_id),
    depth: r.depth,
    authorId: Number(r.author_id),
    authorName: r.author_name,
    bodySrc: r.body_src,
    bodyHtml: r.body_html,
    status: r.status as CommentStatus,
    createdAt: new Date(Number(r.created_at)),
    editedAt: date(r.edited_at),
    editedByName: r.editor_name,
    replyToName: r.reply_to_name,
    byArticleAuthor: Boolean(Number(r.by_article_author ?? 0)),
    score: r.score,
    up: r.up,
    down: r.down,
    replyCount: r.reply_count,
    anchor: toPassage(r),
    rankScore: r.rank_score,
    pinned: r.pinned === 1,
    locked: r.locked === 1,
    featuredAt: date(r.featured_at),
    moderationReason: r.moderation_reason,
  };
}
