import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Where an imported comment came from (`disqus`, `wordpress`) and its id there, so running the
 * same import again finds what it already brought in instead of copying it twice, and replies
 * find their parents. Null for comments written in Parley. Imports match articles by URL.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('comments').addColumn('import_source', 'text').execute();
  await db.schema.alterTable('comments').addColumn('import_id', 'text').execute();
  // Both dialects let any number of rows hold nulls under a unique index.
  await db.schema.createIndex('comments_import').on('comments').columns(['import_source', 'import_id']).unique().execute();
  await db.schema.createIndex('articles_url').on('articles').column('url').execute();
}
