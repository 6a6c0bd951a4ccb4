import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * An article's comments newest first, for the `#comment-ID` stand-ins a page offers (the newest
 * comments it does not show). Without it SQLite walked every visible comment of every article,
 * newest first, looking for an old article's: a million rows each time its page was made.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('comments_article').on('comments').columns(['article_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comments_article').execute();
}
