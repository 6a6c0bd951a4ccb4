import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Two indexes hold only the comments they are for: those quoting a passage, and imported ones.
 * Every other comment (nearly all) left an entry in each, and every batch of posts wrote their
 * last pages again: inserting into SQLite 20 to a transaction took 98–111 µs a comment with both
 * whole and 67–72 with both partial. The Inline Feedbacks list's query and the import's conflict
 * target imply or name the same condition, so both still use them.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('comments_anchored').execute();
  await db.schema
    .createIndex('comments_anchored')
    .on('comments')
    .columns(['article_id', 'anchor_status', 'anchor_start', 'id'])
    .where(sql.ref('anchor_status'), 'is not', null)
    .execute();
  await db.schema.dropIndex('comments_import').execute();
  await db.schema
    .createIndex('comments_import')
    .on('comments')
    .columns(['import_source', 'import_id'])
    .unique()
    .where(sql.ref('import_source'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comments_anchored').execute();
  await db.schema.createIndex('comments_anchored').on('comments').columns(['article_id', 'anchor_status', 'anchor_start', 'id']).execute();
  await db.schema.dropIndex('comments_import').execute();
  await db.schema.createIndex('comments_import').on('comments').columns(['import_source', 'import_id']).unique().execute();
}
