import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Readers a reader has muted: their comments collapse for the muter. Only the muter's side is
 * ever read (by muter_id); nothing looks up who muted a given reader, so nothing can tell them.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('mutes')
    .addColumn('muter_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('muted_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mutes_pk', ['muter_id', 'muted_id'])
    .execute();
}
