import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Every signed-in reader's page asks whether any of their comments on the article await
 * moderation. That probe walked the author's index (author_id, created_at) and read each of the
 * reader's comments to check its article and status: a reader with 1,000,000 comments in a
 * thread waited 0.44 s for each view of it, and a prolific reader paid for every comment they
 * ever wrote on every page. Pending comments are few, so an index of only those answers at once
 * and costs a post nothing (a new comment is pending only when moderation holds it).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // The condition is a literal: SQLite uses a partial index only when the query's terms imply it.
  await sql`create index comments_pending_by_author on comments (author_id, article_id) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comments_pending_by_author').execute();
}
