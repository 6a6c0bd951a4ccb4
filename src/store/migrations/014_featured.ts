import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Editors' picks: when and by whom a comment was featured, and the follow option that mails a
 * follower when one is. Featuring is not pinning: a pick stays where it is in the thread and is
 * listed, newest pick first, under the Featured tab.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('comments').addColumn('featured_at', 'bigint').execute();
  await db.schema.alterTable('comments').addColumn('featured_by', 'bigint').execute();
  // Few comments are picks: a partial index pages them without touching the rest of the thread.
  await db.schema
    .createIndex('comments_featured')
    .on('comments')
    .columns(['article_id', 'featured_at', 'id'])
    .where(sql<boolean>`featured_at is not null`)
    .execute();
  // Off by default: a follower asked for new comments, not for editors' picks.
  await db.schema
    .alterTable('follows')
    .addColumn('featured', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
