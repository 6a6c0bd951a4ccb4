import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * The account of an article's author (front matter `author_email`), so their comments carry an
 * "Author" badge. A display name is not proof: any reader may call themselves Helena Varga.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('articles')
    .addColumn('author_user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .execute();
}
