import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('billing repository on %s', (dialect) => {
  const f = useStore(dialect);
  const at = (ms: number) => new Date(now.getTime() + ms);

  it("applies an entitlement update only if it is not older than the source's last one", async () => {
    const { billing } = f.store;
    const e = { userId: f.alice, source: 'stripe' as const, externalRef: 'sub_1', currentPeriodEnd: null, now };
    expect(await billing.putEntitlement({ ...e, status: 'active', sourceUpdatedAt: at(2000) })).toBe(true);
    expect(await billing.putEntitlement({ ...e, status: 'canceled', sourceUpdatedAt: at(1000) })).toBe(false);
    expect((await billing.entitlementsOf(f.alice)).map((x) => x.status)).toEqual(['active']);
    expect(await billing.putEntitlement({ ...e, status: 'past_due', sourceUpdatedAt: at(3000) })).toBe(true);
    expect((await billing.entitlementsOf(f.alice)).map((x) => x.status)).toEqual(['past_due']);
  });

  it('takes a Stripe event once and counts a read once a month', async () => {
    const { billing } = f.store;
    expect(await billing.claimStripeEvent('evt_1', 'x', now)).toBe(true);
    expect(await billing.claimStripeEvent('evt_1', 'x', now)).toBe(false);
    expect(await billing.stripeEventSeen('evt_1')).toBe(true);
    await billing.recordRead(f.bob, f.articleId, '2026-11', now);
    await billing.recordRead(f.bob, f.articleId, '2026-11', now);
    expect(await billing.readsThisMonth(f.bob, '2026-11')).toEqual([f.articleId]);
    expect(await billing.readsThisMonth(f.bob, '2026-12')).toEqual([]);
  });
});
