import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/** Hashes of SSO tokens already used: a token seen in a log or a browser history opens nothing. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('sso_tokens_used')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_tokens_used_expiry').on('sso_tokens_used').column('expires_at').execute();
}
