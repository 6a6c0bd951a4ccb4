import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import Stripe from 'stripe';
import type { Config } from '../config.js';
import { entitlementFromSubscription, subscriptionState, type EntitlementState, type ProviderSubscription, type SubscriptionState } from '../domain/billing.js';
import { AppError, badRequest, conflict, notFound, unauthorized } from '../domain/errors.js';
import type { Actor } from '../domain/permissions.js';
import { messages } from '../messages.js';
import type { Store } from '../store/store.js';
import { safeReturnPath, type Accounts } from './accounts.js';
import type { Clock } from './clock.js';

export type Plan = 'monthly' | 'annual';
export const PLANS: readonly Plan[] = ['monthly', 'annual'];

type BillingConfig = Pick<
  Config,
  'baseUrl' | 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_PRICE_MONTHLY' | 'STRIPE_PRICE_ANNUAL' | 'STRIPE_API_URL'
>;

interface Log {
  warn(obj: object, msg: string): void;
}

/** What handling an event reads from it, whatever else it holds. */
const SignedEvent = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 255 }),
  type: Type.String({ minLength: 1, maxLength: 255 }),
  created: Type.Integer({ minimum: 0 }),
  data: Type.Object({ object: Type.Object({}) }),
});

/** Metadata key on Checkout Sessions and subscriptions naming the Parley user they belong to. */
const USER_KEY = 'parley_user_id';

// Events are read as plain JSON rather than through the SDK's types: the payload's shape follows
// the webhook endpoint's API version, not the SDK's, so fields are looked for where either puts them.
type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** An id field that may hold the id or the expanded object. */
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v)?.id);

function userIdFrom(v: unknown): number | null {
  const s = typeof v === 'number' ? String(v) : str(v);
  if (!s || !/^[1-9][0-9]{0,15}$/.test(s)) return null;
  return Number(s);
}

/** The fields that decide access, from a subscription in any recent API version's shape. */
export function readSubscription(sub: Json): ProviderSubscription {
  // Since API version 2025-03-31 billing periods live on the subscription items.
  const items = (obj(sub.items)?.data as unknown[] | undefined)?.map(obj).filter((i): i is Json => i !== null) ?? [];
  let periodStart = num(sub.current_period_start);
  let periodEnd = num(sub.current_period_end);
  for (const item of items) {
    const end = num(item.current_period_end);
    if (end !== null && (periodEnd === null || end > periodEnd)) {
      periodEnd = end;
      periodStart = num(item.current_period_start) ?? periodStart;
    }
  }
  return {
    status: str(sub.status) ?? 'incomplete',
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    cancelAt: num(sub.cancel_at),
    endedAt: num(sub.ended_at),
    periodStart,
    periodEnd,
  };
}

/** What one verified event asks of the store; worked out before the transaction that applies it. */
interface Change {
  customerId: string | null;
  /** The user named by the event itself (Checkout reference or metadata), if any. */
  userId: number | null;
  subscriptionId: string | null;
  state: EntitlementState | null;
}

/** Stripe Checkout, the customer portal, and webhooks that keep entitlements in step. */
export class Billing {
  private readonly stripe: Stripe | null;

  constructor(
    private readonly store: Pick<Store, 'users' | 'billing' | 'transaction'>,
    private readonly accounts: Accounts,
    private readonly config: BillingConfig,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {
    this.stripe = config.STRIPE_SECRET_KEY
      ? new Stripe(config.STRIPE_SECRET_KEY, { ...apiLocation(config.STRIPE_API_URL), maxNetworkRetries: 2, timeout: 20_000, telemetry: false })
      : null;
  }

  get enabled(): boolean {
    return this.stripe !== null;
  }

  /** Plans with a configured price, in display order. */
  plans(): Plan[] {
    return this.stripe ? PLANS.filter((p) => this.price(p)) : [];
  }

  private price(plan: Plan): string {
    return plan === 'monthly' ? this.config.STRIPE_PRICE_MONTHLY : this.config.STRIPE_PRICE_ANNUAL;
  }

  private client(): Stripe {
    if (!this.stripe) throw new AppError(503, 'billing_disabled', messages.errors.billing_disabled);
    return this.stripe;
  }

  /** Where the reader's subscription stands, from what their session found (no query when it found it). */
  async subscription(actor: Actor): Promise<SubscriptionState> {
    const list = actor.entitlements ?? (await this.store.billing.entitlementsOf(actor.user.id));
    return subscriptionState(list, this.clock.now(), this.accounts.graceMs);
  }

  async state(actor: Actor): Promise<SubscriptionState & { manageable: boolean }> {
    const list = await this.store.billing.entitlementsOf(actor.user.id);
    const manageable = this.enabled && (await this.store.billing.stripeCustomerOf(actor.user.id)) !== null;
    return { ...subscriptionState(list, this.clock.now(), this.accounts.graceMs), manageable };
  }

  /** Starts a Checkout Session for `plan`; the reader comes back to `returnTo` either way. */
  async checkout(actor: Actor | null, plan: Plan, returnTo: string | undefined): Promise<string> {
    const stripe = this.client();
    if (!actor) throw unauthorized(messages.errors.unauthenticated);
    const price = this.price(plan);
    if (!price) throw badRequest('plan_unavailable', messages.errors.plan_unavailable);
    if ((await this.state(actor)).kind === 'active') throw conflict('already_subscribed', messages.errors.already_subscribed);
    const back = `${this.config.baseUrl}${safeReturnPath(returnTo)}`;
    const customer = await this.store.billing.stripeCustomerOf(actor.user.id);
    const userId = String(actor.user.id);
    const session = await this.call(() =>
      stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price, quantity: 1 }],
        client_reference_id: userId,
        ...(customer ? { customer } : { customer_email: actor.user.email }),
        success_url: back,
        cancel_url: back,
        metadata: { [USER_KEY]: userId },
        // Subscription events then name the user even if they arrive before checkout.session.completed.
        subscription_data: { metadata: { [USER_KEY]: userId } },
      }),
    );
    if (!session.url) throw new AppError(502, 'billing_unavailable', messages.errors.billing_unavailable);
    return session.url;
  }

  /** A Stripe customer portal session for the reader's own customer. */
  async portal(actor: Actor | null, returnTo: string | undefined): Promise<string> {
    const stripe = this.client();
    if (!actor) throw unauthorized(messages.errors.unauthenticated);
    const customer = await this.store.billing.stripeCustomerOf(actor.user.id);
    if (!customer) throw notFound('no_billing_account', messages.errors.no_billing_account);
    const session = await this.call(() => stripe.billingPortal.sessions.create({ customer, return_url: `${this.config.baseUrl}${safeReturnPath(returnTo)}` }));
    return session.url;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.log.warn({ err }, 'stripe request failed');
      throw new AppError(502, 'billing_unavailable', messages.errors.billing_unavailable);
    }
  }

  /**
   * Verifies and applies one webhook delivery. The event id is recorded in the same transaction as
   * its effect, so a replay (or a retry after a crash) changes nothing, and every entitlement write
   * carries the event's time so a late, older event never overwrites a newer state.
   */
  async handleWebhook(rawBody: Buffer, signature: string | undefined): Promise<{ received: true; duplicate?: true; ignored?: true }> {
    const stripe = this.client();
    if (!signature) throw badRequest('signature_missing', messages.errors.signature_missing);
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(rawBody, signature, this.config.STRIPE_WEBHOOK_SECRET);
    } catch {
      throw badRequest('signature_invalid', messages.errors.signature_invalid);
    }
    // A valid signature says who sent the bytes, not that they are an event: `data: null` or a
    // missing id must be a 400, not a crash reading them.
    if (!Value.Check(SignedEvent, event)) throw badRequest('event_invalid', messages.errors.event_invalid);
    if (await this.store.billing.stripeEventSeen(event.id)) return { received: true, duplicate: true };
    const change = await this.changeFor(event.type, obj(event.data.object) ?? {});
    if (!change) return { received: true, ignored: true };

    const now = this.clock.now();
    const at = new Date(event.created * 1000);
    const applied = await this.store.transaction(async (tx) => {
      if (!(await tx.billing.claimStripeEvent(event.id, event.type, now))) return false;
      let userId = change.userId !== null && (await tx.users.byId(change.userId)) ? change.userId : null;
      if (change.customerId) {
        if (userId !== null) await tx.billing.linkStripeCustomer(change.customerId, userId, now);
        else userId = await tx.billing.userIdForStripeCustomer(change.customerId);
      }
      if (userId === null) {
        this.log.warn({ eventId: event.id, type: event.type }, 'stripe event names no known user; ignored');
        return true;
      }
      if (change.subscriptionId && change.state) {
        await tx.billing.putEntitlement({ userId, source: 'stripe', externalRef: change.subscriptionId, ...change.state, now, sourceUpdatedAt: at });
      }
      return true;
    });
    return applied ? { received: true } : { received: true, duplicate: true };
  }

  private async changeFor(type: string, o: Json): Promise<Change | null> {
    const now = this.clock.now();
    switch (type) {
      case 'checkout.session.completed': {
        if (o.mode !== 'subscription') return null;
        const subscriptionId = idOf(o.subscription);
        // The session says who paid, not until when: the subscription itself holds the period.
        let sub = obj(o.subscription);
        if (!sub && subscriptionId) sub = obj(await this.call(() => this.client().subscriptions.retrieve(subscriptionId)));
        return {
          customerId: idOf(o.customer),
          userId: userIdFrom(o.client_reference_id) ?? userIdFrom(obj(o.metadata)?.[USER_KEY]),
          subscriptionId,
          state: sub ? entitlementFromSubscription(readSubscription(sub), now) : null,
        };
      }
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted': {
        const sub = type === 'customer.subscription.deleted' ? { ...o, status: 'canceled' } : o;
        return {
          customerId: idOf(o.customer),
          userId: userIdFrom(obj(o.metadata)?.[USER_KEY]),
          subscriptionId: idOf(o.id),
          state: entitlementFromSubscription(readSubscription(sub), now),
        };
      }
      case 'invoice.payment_failed': {
        const details = obj(obj(o.parent)?.subscription_details);
        const subscriptionId = idOf(details?.subscription) ?? idOf(o.subscription);
        // A failed first payment never granted anything; the subscription stays incomplete.
        if (!subscriptionId || o.billing_reason === 'subscription_create') return null;
        // A renewal invoice's period is the one just ended: the time access was paid up to.
        const paidUntil = num(o.period_end);
        return {
          customerId: idOf(o.customer),
          userId: userIdFrom(obj(details?.metadata)?.[USER_KEY]),
          subscriptionId,
          state: { status: 'past_due', currentPeriodEnd: paidUntil !== null ? new Date(paidUntil * 1000) : now },
        };
      }
      default:
        return null;
    }
  }
}

/** SDK options that send API calls to STRIPE_API_URL instead of Stripe (stripe-mock, tests). */
function apiLocation(url: string): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!url) return {};
  const u = new URL(url);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol };
}
