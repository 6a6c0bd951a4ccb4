import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

const id = (dialect: Dialect) =>
  [
    dialect === 'postgres' ? 'bigserial' : 'integer',
    (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()),
  ] as const;

/**
 * Moderation: reports, the audit log, why and by whom a comment was held or rejected, pinned
 * comments and locked threads, moderator overrides on articles, and the vote-ring-resistant
 * ranking score. Site-wide moderation settings live in the `settings` table (005_billing), which
 * this migration must not assume exists: on a fresh database 004 runs before 005.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('comments').addColumn('moderation_reason', 'text').execute();
  await db.schema.alterTable('comments').addColumn('moderated_at', 'bigint').execute();
  await db.schema.alterTable('comments').addColumn('moderated_by', 'bigint').execute();
  await db.schema
    .alterTable('comments')
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('comments')
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The 'top' order: like score, but without votes from accounts too young to be trusted.
  await db.schema
    .alterTable('comments')
    .addColumn('rank_score', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Votes cast before this migration were counted; keep their order.
  await sql`update comments set rank_score = score`.execute(db);
  await db.schema.createIndex('comments_top_rank').on('comments').columns(['article_id', 'depth', 'rank_score', 'id']).execute();
  // Nothing sorts by raw score any more; one index fewer to write on every vote.
  await db.schema.dropIndex('comments_top_score').ifExists().execute();
  // Pinned comments are few: a partial index finds them without scanning the article's thread.
  await db.schema.createIndex('comments_pinned').on('comments').columns(['article_id', 'id']).where(sql<boolean>`pinned = 1`).execute();
  // The moderation queues (pending, recently rejected) walk comments by status.
  await db.schema.createIndex('comments_status').on('comments').columns(['status', 'id']).execute();

  // Whether the vote counts towards rank_score (its voter's account was old enough when cast).
  await db.schema
    .alterTable('votes')
    .addColumn('ranked', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  // A moderator's policy outlives content reloads, which rewrite comment_policy from front matter.
  await db.schema.alterTable('articles').addColumn('policy_override', 'text').execute();
  // Per-article pre-moderation overrides (JSON); null follows the site settings.
  await db.schema.alterTable('articles').addColumn('moderation', 'text').execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', ...id(dialect))
    .addColumn('comment_id', 'bigint', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reporter_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by', 'bigint')
    .addUniqueConstraint('reports_comment_reporter', ['comment_id', 'reporter_id'])
    .execute();
  await db.schema.createIndex('reports_open').on('reports').columns(['resolved_at', 'comment_id']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', ...id(dialect))
    // Null for actions taken by the system (reports hiding a comment) or from the command line.
    .addColumn('actor_id', 'bigint')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'bigint')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id', 'id']).execute();
}
