import { eventOf } from './discussion-events.js';
import type { Article, Comment, CommentView } from './types.js';

/** What a publisher's own systems are told about comments (outbound webhooks). */
export type WebhookEventType = 'comment.created' | 'comment.held' | 'comment.reported' | 'comment.edited' | 'comment.deleted';

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = ['comment.created', 'comment.held', 'comment.reported', 'comment.edited', 'comment.deleted'];

/** Outbox rows that are webhooks carry this before their event type in `kind`. */
export const WEBHOOK_KIND_PREFIX = 'webhook:';

type Seen = Parameters<typeof eventOf>[0] & Pick<Comment, 'status'>;

/**
 * The webhook a change makes, from the comment before and after it. It follows what readers see
 * (created when a comment comes into view, including on approval; edited; deleted when it leaves
 * view for any reason) and adds one thing readers never see: a new comment held for moderation.
 * Votes are not announced. Reports are not a change of the comment, so the report itself says so.
 */
export function webhookEventOf(before: Seen | null, after: Seen | null): WebhookEventType | null {
  if (before === null && after?.status === 'pending') return 'comment.held';
  const e = eventOf(before, after);
  return e === 'comment.voted' ? null : e;
}

export interface WebhookPayload {
  type: WebhookEventType;
  timestamp: string;
  data: {
    comment: CommentView;
    article: { id: number; slug: string; title: string; url: string };
  };
}

/** The body of one webhook: the comment as the public sees it (the view with no reader) and its article. */
export function webhookPayload(
  type: WebhookEventType,
  at: Date,
  comment: CommentView,
  article: Pick<Article, 'id' | 'slug' | 'title' | 'url'>,
  baseUrl: string,
): WebhookPayload {
  // An embedded discussion's readers are on the publisher's page; a native article's on Parley's.
  const url = article.url ?? `${baseUrl}/articles/${encodeURIComponent(article.slug)}`;
  return { type, timestamp: at.toISOString(), data: { comment, article: { id: article.id, slug: article.slug, title: article.title, url } } };
}

/** The key bytes of a Standard Webhooks secret (`whsec_` then base64); null when it is not one. */
export function webhookKey(secret: string): Buffer | null {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!m) return null;
  const key = Buffer.from(m[1]!, 'base64');
  // Standard Webhooks asks for 24 to 64 random bytes.
  return key.length >= 24 && key.length <= 64 ? key : null;
}
