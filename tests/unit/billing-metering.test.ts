import { describe, expect, it } from 'vitest';
import { entitlementFromSubscription, subscriptionState, type ProviderSubscription } from '../../src/domain/billing.js';
import { isCrawler, meterDecision, monthKey, type MeterInput } from '../../src/domain/metering.js';
import type { Entitlement } from '../../src/domain/types.js';

const reader: MeterInput = {
  subscriber: false,
  staff: false,
  crawler: false,
  crawlersFullText: false,
  freePerMonth: 3,
  readThisMonth: 0,
  alreadyCounted: false,
};

describe('meterDecision', () => {
  it('counts free reads up to the allowance, then cuts', () => {
    expect(meterDecision({ ...reader, readThisMonth: 0 })).toEqual({ full: true, count: true, reason: 'free', remaining: 2 });
    expect(meterDecision({ ...reader, readThisMonth: 2 })).toEqual({ full: true, count: true, reason: 'free', remaining: 0 });
    expect(meterDecision({ ...reader, readThisMonth: 3 })).toEqual({ full: false, count: false, reason: 'exhausted', remaining: 0 });
  });

  it('lets an article already counted be read again for free', () => {
    expect(meterDecision({ ...reader, readThisMonth: 3, alreadyCounted: true })).toMatchObject({ full: true, count: false, reason: 'reread' });
  });

  it('never meters subscribers or staff, and gives crawlers the full text only by choice', () => {
    expect(meterDecision({ ...reader, subscriber: true, readThisMonth: 99 })).toMatchObject({ full: true, count: false });
    expect(meterDecision({ ...reader, staff: true, readThisMonth: 99 })).toMatchObject({ full: true, count: false });
    expect(meterDecision({ ...reader, crawler: true })).toMatchObject({ full: false, count: false, reason: 'crawler' });
    expect(meterDecision({ ...reader, crawler: true, crawlersFullText: true })).toMatchObject({ full: true, count: false, reason: 'crawler' });
  });

  it('with an allowance of 0 only subscribers read whole articles', () => {
    expect(meterDecision({ ...reader, freePerMonth: 0 })).toMatchObject({ full: false, reason: 'exhausted' });
  });
});

describe('monthKey and isCrawler', () => {
  it('takes the calendar month in the publication time zone', () => {
    const t = new Date('2026-12-01T03:00:00Z');
    expect(monthKey(t, 'UTC')).toBe('2026-12');
    expect(monthKey(t, 'America/New_York')).toBe('2026-11');
    expect(monthKey(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin')).toBe('2027-01');
  });

  it('knows the big engines and not browsers', () => {
    expect(isCrawler('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toBe(true);
    expect(isCrawler('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)')).toBe(true);
    expect(isCrawler('DuckDuckBot/1.1')).toBe(true);
    expect(isCrawler('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15')).toBe(false);
    expect(isCrawler(undefined)).toBe(false);
  });
});

describe('entitlementFromSubscription', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  const s = (o: Partial<ProviderSubscription>): ProviderSubscription => ({
    status: 'active',
    cancelAtPeriodEnd: false,
    cancelAt: null,
    endedAt: null,
    periodStart: 1_790_000_000,
    periodEnd: 1_792_592_000,
    ...o,
  });

  it('maps each Stripe status to what it pays for', () => {
    expect(entitlementFromSubscription(s({}), now)).toEqual({ status: 'active', currentPeriodEnd: new Date(1_792_592_000_000) });
    expect(entitlementFromSubscription(s({ status: 'trialing' }), now).status).toBe('trialing');
    expect(entitlementFromSubscription(s({ cancelAtPeriodEnd: true }), now)).toEqual({ status: 'canceled', currentPeriodEnd: new Date(1_792_592_000_000) });
    expect(entitlementFromSubscription(s({ cancelAt: 1_791_000_000 }), now)).toEqual({ status: 'canceled', currentPeriodEnd: new Date(1_791_000_000_000) });
    expect(entitlementFromSubscription(s({ status: 'past_due' }), now)).toEqual({ status: 'past_due', currentPeriodEnd: new Date(1_790_000_000_000) });
    expect(entitlementFromSubscription(s({ status: 'unpaid' }), now).status).toBe('past_due');
    expect(entitlementFromSubscription(s({ status: 'canceled', endedAt: 1_789_000_000 }), now)).toEqual({
      status: 'canceled',
      currentPeriodEnd: new Date(1_789_000_000_000),
    });
    for (const status of ['incomplete', 'incomplete_expired', 'paused', 'something_new']) {
      expect(entitlementFromSubscription(s({ status }), now)).toEqual({ status: 'canceled', currentPeriodEnd: now });
    }
  });
});

describe('subscriptionState', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  const day = 86_400_000;
  const e = (status: Entitlement['status'], endInDays: number | null, source: Entitlement['source'] = 'stripe'): Entitlement => ({
    userId: 1,
    source,
    status,
    currentPeriodEnd: endInDays === null ? null : new Date(now.getTime() + endInDays * day),
  });

  it('says active, cancelling, payment failed or none', () => {
    expect(subscriptionState([e('active', 10)], now, 3 * day)).toEqual({ kind: 'active', until: new Date(now.getTime() + 10 * day) });
    expect(subscriptionState([e('active', null, 'manual')], now, 3 * day)).toEqual({ kind: 'active', until: null });
    expect(subscriptionState([e('canceled', 5)], now, 3 * day)).toEqual({ kind: 'canceling', until: new Date(now.getTime() + 5 * day) });
    expect(subscriptionState([e('past_due', -1)], now, 3 * day)).toEqual({
      kind: 'payment_failed',
      access: true,
      graceUntil: new Date(now.getTime() + 2 * day),
    });
    expect(subscriptionState([e('past_due', -4)], now, 3 * day)).toMatchObject({ kind: 'payment_failed', access: false });
    expect(subscriptionState([e('canceled', -1), e('revoked', null, 'manual')], now, 3 * day)).toEqual({ kind: 'none' });
    // A renewing subscription wins over a failed one elsewhere.
    expect(subscriptionState([e('past_due', -1), e('active', 30, 'sso')], now, 3 * day).kind).toBe('active');
  });
});
