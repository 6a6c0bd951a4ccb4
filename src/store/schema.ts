import type { Generated } from 'kysely';

/** Table shapes as stored. Times are epoch milliseconds (UTC) and flags 0/1 in both dialects. */
export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: string;
  created_at: number;
  suspended_until: number | null;
  banned: number;
  notify_replies: Generated<number>;
  digest: Generated<string>;
  notify_token: string | null;
}

export interface EntitlementsTable {
  id: Generated<number>;
  user_id: number;
  source: string;
  /** The source's own id (a Stripe subscription id, an SSO issuer); '' for manual grants. */
  external_ref: string;
  status: string;
  current_period_end: number | null;
  updated_at: number;
  /** The source's own clock (Stripe event `created`, ms) of this state; older updates are ignored. */
  source_updated_at: Generated<number | null>;
}

export interface ArticlesTable {
  id: Generated<number>;
  slug: string;
  url: string | null;
  title: string;
  standfirst: string;
  author: string;
  author_bio: string;
  author_handle: string;
  image: string | null;
  image_credit: string;
  published_at: number;
  body: string;
  comment_policy: string;
  comment_count: number;
  updated_at: number;
  /** A moderator's policy (e.g. 'closed'), which wins over comment_policy (004). */
  policy_override: string | null;
  /** Per-article pre-moderation overrides as JSON (004). */
  moderation: string | null;
  /** The last event sequence number used for this article (011). */
  event_seq: Generated<number>;
  /** The author's account, from front matter `author_email`: their comments get a badge (013). */
  author_user_id: number | null;
}

export interface CommentsTable {
  id: Generated<number>;
  article_id: number;
  parent_id: number | null;
  root_id: number | null;
  depth: number;
  author_id: number;
  body_src: string;
  body_html: string;
  status: string;
  created_at: number;
  edited_at: number | null;
  edited_by: number | null;
  score: number;
  up: number;
  down: number;
  reply_count: number;
  /** W3C selectors as posted (JSON), and where they point in the article's current text. */
  anchor: string | null;
  anchor_start: number | null;
  anchor_end: number | null;
  anchor_status: string | null;
  // moderation (004)
  moderation_reason: string | null;
  moderated_at: number | null;
  moderated_by: number | null;
  pinned: Generated<number>;
  locked: Generated<number>;
  rank_score: Generated<number>;
  // import (008): where an imported comment came from and its id there; null for Parley's own
  import_source: string | null;
  import_id: string | null;
  // editors' picks (014): when and by which moderator the comment was featured; null if it is not
  featured_at: number | null;
  featured_by: number | null;
}

/**
 * The columns a new comment is written with, whether posted or imported (each adds its own);
 * the rest take their defaults.
 */
export const NEW_COMMENT_COLUMNS = [
  'article_id',
  'parent_id',
  'root_id',
  'depth',
  'author_id',
  'body_src',
  'body_html',
  'status',
  'created_at',
  'edited_at',
  'edited_by',
  'score',
  'up',
  'down',
  'reply_count',
  'moderation_reason',
] as const satisfies readonly (keyof CommentsTable)[];

export interface CommentRevisionsTable {
  id: Generated<number>;
  comment_id: number;
  body_src: string;
  editor_id: number;
  created_at: number;
}

export interface VotesTable {
  comment_id: number;
  user_id: number;
  value: number;
  created_at: number;
  /** 1 when the vote counts towards rank_score (004). */
  ranked: Generated<number>;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface LoginTokensTable {
  token_hash: string;
  email: string;
  return_to: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  article_id: number;
  type: string;
  comment_id: number;
  created_at: number;
  /** Position in its article's event log, assigned in commit order (011). */
  seq: number;
}

export interface FollowsTable {
  id: Generated<number>;
  article_id: number;
  email: string;
  user_id: number | null;
  confirmed: number;
  token: string;
  created_at: number;
  /** 1: also mail this follower when a comment of the article is featured (014). */
  featured: Generated<number>;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  recipient: string;
  user_id: number | null;
  comment_id: number | null;
  follow_id: number | null;
  dedupe_key: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  message_id: string | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  /** A webhook's JSON body, fixed at commit (migration 012); null for mail. */
  payload: string | null;
}

/** Answers to writes sent with an Idempotency-Key (migration 010). */
export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  fingerprint: string;
  status: number;
  response: string;
  created_at: number;
}

export interface StripeEventsTable {
  id: string;
  type: string;
  processed_at: number;
}

export interface StripeCustomersTable {
  customer_id: string;
  user_id: number;
  created_at: number;
}

export interface ArticleReadsTable {
  user_id: number;
  article_id: number;
  month: string;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface SsoTokensUsedTable {
  token_hash: string;
  expires_at: number;
}

export interface SsoIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: number;
  created_at: number;
}

export interface EmailChangesTable {
  token_hash: string;
  user_id: number;
  new_email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface ReportsTable {
  id: Generated<number>;
  comment_id: number;
  reporter_id: number;
  reason: string;
  text: string;
  created_at: number;
  resolved_at: number | null;
  resolved_by: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: number | null;
  /** JSON object. */
  details: string;
  created_at: number;
}

/** Reader `muter_id` collapses the comments of reader `muted_id` (016). */
export interface MutesTable {
  muter_id: number;
  muted_id: number;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  entitlements: EntitlementsTable;
  articles: ArticlesTable;
  comments: CommentsTable;
  comment_revisions: CommentRevisionsTable;
  votes: VotesTable;
  sessions: SessionsTable;
  login_tokens: LoginTokensTable;
  events: EventsTable;
  follows: FollowsTable;
  outbox: OutboxTable;
  stripe_events: StripeEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  stripe_customers: StripeCustomersTable;
  article_reads: ArticleReadsTable;
  settings: SettingsTable;
  email_changes: EmailChangesTable;
  sso_tokens_used: SsoTokensUsedTable;
  sso_identities: SsoIdentitiesTable;
  reports: ReportsTable;
  audit_log: AuditLogTable;
  mutes: MutesTable;
}
