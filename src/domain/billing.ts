/*
 * How a payment provider's subscription becomes an entitlement, and what a reader is told about
 * their own subscription. Pure: times come in as arguments.
 */
import { isSubscriber, subscribedUntil } from './entitlements.js';
import type { Entitlement, EntitlementStatus } from './types.js';

/** The few fields of a Stripe subscription that decide access (times in Unix seconds). */
export interface ProviderSubscription {
  status: string;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  endedAt: number | null;
  /** Start and end of the period being billed now; null if the provider sent none. */
  periodStart: number | null;
  periodEnd: number | null;
}

export interface EntitlementState {
  status: EntitlementStatus;
  currentPeriodEnd: Date | null;
}

const at = (seconds: number) => new Date(seconds * 1000);

/**
 * `currentPeriodEnd` is always the moment access is paid up to:
 * - active or trialing: the end of the current period;
 * - to be cancelled (at period end or at a set time): 'canceled' ending then, access until that moment;
 * - past_due or unpaid: the start of the unpaid period, so the grace period counts from the failed
 *   renewal, not from the end of a period nobody paid for;
 * - ended, never paid, or paused: 'canceled' ending at once.
 * `now` stands in for times the provider left out.
 */
export function entitlementFromSubscription(s: ProviderSubscription, now: Date): EntitlementState {
  const periodEnd = s.periodEnd === null ? null : at(s.periodEnd);
  switch (s.status) {
    case 'active':
    case 'trialing': {
      if (s.cancelAtPeriodEnd || s.cancelAt !== null) {
        const end = s.cancelAt !== null ? at(s.cancelAt) : periodEnd;
        return { status: 'canceled', currentPeriodEnd: end ?? now };
      }
      return { status: s.status, currentPeriodEnd: periodEnd ?? now };
    }
    case 'past_due':
    case 'unpaid':
      return { status: 'past_due', currentPeriodEnd: s.periodStart !== null ? at(s.periodStart) : now };
    case 'canceled':
      return { status: 'canceled', currentPeriodEnd: s.endedAt !== null ? at(s.endedAt) : now };
    default:
      // incomplete, incomplete_expired, paused, and anything new: no access until told otherwise.
      return { status: 'canceled', currentPeriodEnd: now };
  }
}

export type SubscriptionState =
  | { kind: 'active'; until: Date | null }
  | { kind: 'canceling'; until: Date }
  | { kind: 'payment_failed'; access: boolean; graceUntil: Date }
  | { kind: 'none' };

/** What to tell a reader about their subscription; the most favourable entitlement wins. */
export function subscriptionState(list: readonly Entitlement[], now: Date, graceMs: number): SubscriptionState {
  const t = now.getTime();
  const renewing = list.filter((e) => (e.status === 'active' || e.status === 'trialing') && (e.currentPeriodEnd === null || e.currentPeriodEnd.getTime() > t));
  if (renewing.length > 0) return { kind: 'active', until: subscribedUntil(renewing, now, graceMs) };
  const ending = list.filter((e) => e.status === 'canceled' && e.currentPeriodEnd !== null && e.currentPeriodEnd.getTime() > t);
  if (ending.length > 0) return { kind: 'canceling', until: new Date(Math.max(...ending.map((e) => e.currentPeriodEnd!.getTime()))) };
  const failed = list.filter((e) => e.status === 'past_due');
  if (failed.length > 0) {
    const graceUntil = new Date(Math.max(...failed.map((e) => (e.currentPeriodEnd?.getTime() ?? t) + graceMs)));
    return { kind: 'payment_failed', access: isSubscriber(failed, now, graceMs), graceUntil };
  }
  return { kind: 'none' };
}
