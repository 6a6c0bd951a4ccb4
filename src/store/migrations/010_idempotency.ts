import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * The answers to writes sent with an `Idempotency-Key`, per reader and key, so a retry after a
 * lost answer gets the first answer again instead of writing twice. A row is written in the same
 * transaction as what it answers for: a committed write always has its key recorded.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    // Hash of what the request asked for: the same key with other contents is a client bug.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
}
