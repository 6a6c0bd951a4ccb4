import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Outbound webhooks ride the mail outbox (its lease, back-off and pruning). A webhook's body is
 * fixed when its change commits, so a retry carries the same event as the first attempt even if
 * the comment has changed since; mail rows leave it null and are composed at send time.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('payload', 'text').execute();
}
