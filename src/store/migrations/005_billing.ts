import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Paid subscriptions (Stripe idempotency and customers), metered reading, shared settings, and
 * email-change confirmations.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // The source's clock (Stripe event `created`, as ms) of the state an entitlement row holds, so an
  // event delivered late never overwrites a newer state.
  await db.schema.alterTable('entitlements').addColumn('source_updated_at', 'bigint').execute();

  await db.schema
    .createTable('stripe_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stripe_customers')
    .addColumn('customer_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stripe_customers_user').on('stripe_customers').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('article_reads')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    // 'YYYY-MM' in the publication's time zone: the meter resets on the calendar month.
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_reads_pk', ['user_id', 'month', 'article_id'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('email_changes')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('new_email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
}
