import type { Entitlement, EntitlementSource, EntitlementStatus } from '../../domain/types.js';
import type { Kysely } from 'kysely';
import type { AccountWrites } from '../account-writes.js';
import type { Dialect } from '../connect.js';
import { toEntitlement } from '../rows.js';
import type { Database } from '../schema.js';
import { prepare } from '../prepared.js';
import { Repository } from './repository.js';

/** A reader's articles read this month: asked on every page a metered reader opens, so prepared once (prepared.ts). */
const readsThisMonth = prepare<{ userId: number; month: string }>()((db, p) =>
  db.selectFrom('article_reads').select('article_id').where('user_id', '=', p.userId).where('month', '=', p.month),
);

/** What a reader may read and has read: entitlements, Stripe's events and customers, the meter. */
export class BillingRepository extends Repository {
  constructor(
    db: Kysely<Database>,
    dialect: Dialect,
    /** Told of each change to a user's entitlements: sessions kept in memory carry them. */
    private readonly writes: AccountWrites,
  ) {
    super(db, dialect);
  }

  // ---- entitlements --------------------------------------------------------------------------------

  async entitlementsOf(userId: number): Promise<Entitlement[]> {
    const rows = await this.db.selectFrom('entitlements').selectAll().where('user_id', '=', userId).execute();
    return rows.map(toEntitlement);
  }

  /**
   * Creates or replaces one entitlement. With `sourceUpdatedAt` (the source's own clock of this
   * state) an update older than the stored state changes nothing; returns whether it was written.
   */
  async putEntitlement(e: {
    userId: number;
    source: EntitlementSource;
    externalRef: string;
    status: EntitlementStatus;
    currentPeriodEnd: Date | null;
    now: Date;
    sourceUpdatedAt?: Date;
  }): Promise<boolean> {
    const values = {
      status: e.status,
      current_period_end: e.currentPeriodEnd?.getTime() ?? null,
      updated_at: e.now.getTime(),
      source_updated_at: e.sourceUpdatedAt?.getTime() ?? null,
    };
    const written = await this.db
      .insertInto('entitlements')
      .values({ user_id: e.userId, source: e.source, external_ref: e.externalRef, ...values })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'source', 'external_ref'])
          .doUpdateSet(values)
          .where((eb) =>
            eb.or([
              eb('entitlements.source_updated_at', 'is', null),
              eb(eb.ref('excluded.source_updated_at'), 'is', null),
              eb('entitlements.source_updated_at', '<=', eb.ref('excluded.source_updated_at')),
            ]),
          ),
      )
      .returning('id')
      .executeTakeFirst();
    if (written !== undefined) this.writes.wrote({ userId: e.userId });
    return written !== undefined;
  }

  // ---- Stripe --------------------------------------------------------------------------------------

  /** Records a Stripe event id; false if it was seen before, so a replay changes nothing. */
  async claimStripeEvent(id: string, type: string, now: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('stripe_events')
      .values({ id, type, processed_at: now.getTime() })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  }

  async stripeEventSeen(id: string): Promise<boolean> {
    return (await this.db.selectFrom('stripe_events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async linkStripeCustomer(customerId: string, userId: number, now: Date): Promise<void> {
    await this.db
      .insertInto('stripe_customers')
      .values({ customer_id: customerId, user_id: userId, created_at: now.getTime() })
      .onConflict((oc) => oc.column('customer_id').doNothing())
      .execute();
  }

  async userIdForStripeCustomer(customerId: string): Promise<number | null> {
    const r = await this.db.selectFrom('stripe_customers').select('user_id').where('customer_id', '=', customerId).executeTakeFirst();
    return r ? Number(r.user_id) : null;
  }

  /** The reader's most recent Stripe customer, for the billing portal and repeat checkouts. */
  async stripeCustomerOf(userId: number): Promise<string | null> {
    const r = await this.db
      .selectFrom('stripe_customers')
      .select('customer_id')
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r?.customer_id ?? null;
  }

  // ---- the meter: articles read per month ----------------------------------------------------------

  async readsThisMonth(userId: number, month: string): Promise<number[]> {
    const rows = await this.prepared(readsThisMonth, { userId, month });
    return rows.map((r) => Number(r.article_id));
  }

  async recordRead(userId: number, articleId: number, month: string, now: Date): Promise<void> {
    await this.db
      .insertInto('article_reads')
      .values({ user_id: userId, article_id: articleId, month, created_at: now.getTime() })
      .onConflict((oc) => oc.columns(['user_id', 'month', 'article_id']).doNothing())
      .execute();
  }

  async readsOfUser(userId: number): Promise<{ articleId: number; month: string; createdAt: Date }[]> {
    const rows = await this.db.selectFrom('article_reads').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map((r) => ({ articleId: Number(r.article_id), month: r.month, createdAt: new Date(Number(r.created_at)) }));
  }
}
