import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Event ids per article, taken under the article row's lock. Ids from a global sequence were
 * taken before commit, so a later id could commit first and a live reader's `lastId` jumped past
 * an event that committed a moment later: it was never delivered. A per-article counter bumped
 * by an UPDATE holds the row lock until commit, so ids commit in order. Existing events keep
 * their ids as their sequence numbers, so browsers resuming with an old Last-Event-ID lose nothing.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('articles')
    .addColumn('event_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('events').addColumn('seq', 'bigint').execute();
  await sql`UPDATE events SET seq = id`.execute(db);
  await sql`UPDATE articles SET event_seq = COALESCE((SELECT max(e.id) FROM events e WHERE e.article_id = articles.id), 0)`.execute(db);
  await db.schema.createIndex('events_article_seq').unique().on('events').columns(['article_id', 'seq']).execute();
}
