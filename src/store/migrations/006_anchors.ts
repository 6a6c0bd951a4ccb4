import type { Kysely } from 'kysely';

/**
 * Comments anchored to a passage of the article: the W3C selectors as posted (JSON), and where
 * the passage is in the article's current text (recomputed when the article changes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('anchor', 'text').execute();
  await db.schema.alterTable('comments').addColumn('anchor_start', 'integer').execute();
  await db.schema.alterTable('comments').addColumn('anchor_end', 'integer').execute();
  // 'anchored' or 'orphaned'; null for comments on the article as a whole.
  await db.schema.alterTable('comments').addColumn('anchor_status', 'text').execute();
  await db.schema.createIndex('comments_anchored').on('comments').columns(['article_id', 'anchor_status', 'anchor_start', 'id']).execute();
}
