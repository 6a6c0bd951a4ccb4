import type { Entitlement } from './types.js';

/** Grace after a failed payment during which a past_due subscriber keeps access. */
export const DEFAULT_PAST_DUE_GRACE_MS = 7 * 24 * 3600 * 1000;

function grants(e: Entitlement, now: Date, graceMs: number): boolean {
  const end = e.currentPeriodEnd?.getTime() ?? Infinity;
  switch (e.status) {
    case 'active':
    case 'trialing':
    // A subscription cancelled at period end still pays for the time up to that end.
    case 'canceled':
      return end > now.getTime();
    case 'past_due':
      return end + graceMs > now.getTime();
    case 'revoked':
      return false;
  }
}

/** Whether any of a user's entitlements makes them a subscriber at `now`. */
export function isSubscriber(list: readonly Entitlement[], now: Date, graceMs = DEFAULT_PAST_DUE_GRACE_MS): boolean {
  return list.some((e) => grants(e, now, graceMs));
}

/** The latest moment the user's access is paid up to, null if open-ended or none. */
export function subscribedUntil(list: readonly Entitlement[], now: Date, graceMs = DEFAULT_PAST_DUE_GRACE_MS): Date | null {
  const active = list.filter((e) => grants(e, now, graceMs));
  if (active.length === 0 || active.some((e) => e.currentPeriodEnd === null)) return null;
  return new Date(Math.max(...active.map((e) => e.currentPeriodEnd!.getTime())));
}
