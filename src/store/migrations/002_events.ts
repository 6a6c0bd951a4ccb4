import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * A log of what happened to each discussion, written in the same transaction as the change.
 * Live clients resume from it with Last-Event-ID, and every app node reads it after a wake-up,
 * so a lost notification never loses an event.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('comment_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_article').on('events').columns(['article_id', 'id']).execute();
}
