import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { FakeStripe } from '../support/fake-stripe.js';
import { json, startParley, type TestParley } from '../support/harness.js';

const WHSEC = 'whsec_test_parley_signing_secret';
const DAY = 86_400;
const stripe = new Stripe('sk_test_unused');

describe.each(DIALECTS)('Stripe billing on %s', (dialect) => {
  let p: TestParley;
  let fake: FakeStripe;
  let articleId: number;
  let n = 0;

  const nowS = () => Math.floor(p.clock.now().getTime() / 1000);
  const userId = async (email: string) => (await p.store.users.ensure(email, email.split('@')[0]!, p.clock.now())).id;
  const actor = async (email: string) => p.accounts.actorFor((await p.store.users.byEmail(email))!);
  const stripeRows = async (email: string) =>
    (await p.store.billing.entitlementsOf((await p.store.users.byEmail(email))!.id)).filter((e) => e.source === 'stripe');

  function subscription(
    id: string,
    o: { customer: string; userId?: number; status?: string; start: number; end: number; cancelAtPeriodEnd?: boolean; endedAt?: number },
  ) {
    return {
      id,
      object: 'subscription',
      customer: o.customer,
      status: o.status ?? 'active',
      cancel_at_period_end: o.cancelAtPeriodEnd ?? false,
      cancel_at: o.cancelAtPeriodEnd ? o.end : null,
      ended_at: o.endedAt ?? null,
      created: o.start,
      metadata: o.userId ? { parley_user_id: String(o.userId) } : {},
      items: { object: 'list', data: [{ id: `si_${id}`, object: 'subscription_item', current_period_start: o.start, current_period_end: o.end }] },
    };
  }

  const event = (type: string, object: object, created = nowS(), id = `evt_${dialect}_${++n}`) => ({
    id,
    object: 'event',
    api_version: '2026-01-28.clover',
    type,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });

  const deliver = (payload: object | string, header?: string | null) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const sig = header === undefined ? stripe.webhooks.generateTestHeaderString({ payload: body, secret: WHSEC }) : header;
    return p.app.inject({
      method: 'POST',
      url: '/api/v1/billing/stripe/webhook',
      headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'stripe-signature': sig }) },
      payload: body,
    });
  };

  beforeAll(async () => {
    fake = new FakeStripe();
    const api = await fake.start();
    p = await startParley(dialect, {
      STRIPE_SECRET_KEY: 'sk_test_parley',
      STRIPE_WEBHOOK_SECRET: WHSEC,
      STRIPE_PRICE_MONTHLY: 'price_monthly_1',
      STRIPE_PRICE_ANNUAL: 'price_annual_1',
      STRIPE_API_URL: api,
      PAST_DUE_GRACE_DAYS: '3',
    });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
  });
  afterAll(async () => {
    await p?.dispose();
    await fake?.stop();
  });

  it('refuses deliveries that are unsigned, signed with another secret, tampered with or stale', async () => {
    const uid = await userId('mallory@example.com');
    const evt = event(
      'customer.subscription.created',
      subscription('sub_forged', { customer: 'cus_forged', userId: uid, start: nowS(), end: nowS() + 30 * DAY }),
    );
    const body = JSON.stringify(evt);

    const unsigned = await deliver(body, null);
    expect(unsigned.statusCode).toBe(400);
    expect(json(unsigned).error.code).toBe('signature_missing');

    const otherSecret = await deliver(body, stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_someone_else' }));
    expect(otherSecret.statusCode).toBe(400);
    expect(json(otherSecret).error.code).toBe('signature_invalid');

    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: WHSEC });
    const tampered = await deliver(body.replace('"active"', '"trialing"'), header);
    expect(tampered.statusCode).toBe(400);
    expect(json(tampered).error.code).toBe('signature_invalid');

    const stale = await deliver(
      body,
      stripe.webhooks.generateTestHeaderString({ payload: body, secret: WHSEC, timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect(stale.statusCode).toBe(400);

    const garbage = await deliver(body, 't=1,v1=deadbeef');
    expect(garbage.statusCode).toBe(400);

    expect(await stripeRows('mallory@example.com')).toEqual([]);
    expect((await actor('mallory@example.com')).subscriber).toBe(false);
    // The very same bytes, correctly signed, are accepted: the refusals above were about the signature.
    expect((await deliver(body)).statusCode).toBe(200);
    expect((await actor('mallory@example.com')).subscriber).toBe(true);
  });

  it('checkout.session.completed fetches the subscription, links the customer and lets the reader post', async () => {
    const uid = await userId('ann@example.com');
    const ann = await p.signIn('ann@example.com');
    const post = () =>
      p.app.inject({
        method: 'POST',
        url: `/api/v1/articles/${articleId}/comments`,
        headers: { cookie: ann.cookie, 'x-csrf-token': ann.csrf },
        payload: { body: 'Now I may speak' },
      });
    expect((await post()).statusCode).toBe(403);

    const start = nowS();
    fake.subscriptions.set('sub_ann', subscription('sub_ann', { customer: 'cus_ann', start, end: start + 30 * DAY }));
    const res = await deliver(
      event('checkout.session.completed', {
        id: 'cs_ann',
        object: 'checkout.session',
        mode: 'subscription',
        client_reference_id: String(uid),
        customer: 'cus_ann',
        subscription: 'sub_ann',
        payment_status: 'paid',
        metadata: {},
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ received: true });
    expect(fake.calls.some((c) => c.method === 'GET' && c.path === '/v1/subscriptions/sub_ann')).toBe(true);

    const a = await actor('ann@example.com');
    expect(a.subscriber).toBe(true);
    expect(a.subscriberUntil?.getTime()).toBe((start + 30 * DAY) * 1000);
    expect(await p.store.billing.stripeCustomerOf(uid)).toBe('cus_ann');
    expect((await post()).statusCode).toBe(201);

    const page = await p.app.inject({ method: 'GET', url: '/subscribe?return=/articles/open-thread', headers: { cookie: ann.cookie } });
    expect(page.body).toContain('You are a subscriber until');
    expect(page.body).toContain('Manage subscription');
    expect(page.body).not.toContain('Subscribe monthly');
    // On the article: a quiet line, no call to action.
    const article = (await p.app.inject({ method: 'GET', url: '/articles/open-thread', headers: { cookie: ann.cookie } })).body;
    expect(article).toMatch(/<p class="subscription-state">You are a subscriber until [^<]+<\/p>/);
    // Guests and readers without a subscription see the join block instead.
    expect((await p.app.inject({ method: 'GET', url: '/articles/open-thread' })).body).not.toContain('subscription-state');
  });

  it('takes a replayed event id once, even when two copies arrive together', async () => {
    const uid = await userId('rita@example.com');
    const start = nowS();
    const canceling = event(
      'customer.subscription.updated',
      subscription('sub_rita', { customer: 'cus_rita', userId: uid, start, end: start + 30 * DAY, cancelAtPeriodEnd: true }),
      start + 10,
    );
    const renewed = event(
      'customer.subscription.updated',
      subscription('sub_rita', { customer: 'cus_rita', userId: uid, start, end: start + 30 * DAY }),
      start + 20,
    );
    expect(json(await deliver(canceling))).toEqual({ received: true });
    expect(json(await deliver(renewed))).toEqual({ received: true });
    expect((await stripeRows('rita@example.com'))[0]!.status).toBe('active');

    // The same event id again, even re-signed later: nothing changes.
    const replay = await deliver(canceling);
    expect(replay.statusCode).toBe(200);
    expect(json(replay)).toEqual({ received: true, duplicate: true });
    expect((await stripeRows('rita@example.com'))[0]!.status).toBe('active');

    const twice = event(
      'customer.subscription.updated',
      subscription('sub_rita', { customer: 'cus_rita', userId: uid, start, end: start + 60 * DAY }),
      start + 30,
    );
    const both = await Promise.all([deliver(twice), deliver(twice)]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(both.filter((r) => json(r).duplicate === true)).toHaveLength(1);
    const rows = await p.store.db.selectFrom('stripe_events').selectAll().where('id', '=', twice.id).execute();
    expect(rows).toHaveLength(1);
    expect((await stripeRows('rita@example.com'))[0]!.currentPeriodEnd?.getTime()).toBe((start + 60 * DAY) * 1000);
  });

  it('ignores an update older than the state it already holds', async () => {
    const uid = await userId('otto@example.com');
    const start = nowS();
    const sub = (o: Partial<Parameters<typeof subscription>[1]>) =>
      subscription('sub_otto', { customer: 'cus_otto', userId: uid, start, end: start + 30 * DAY, ...o });
    await deliver(event('customer.subscription.created', sub({}), start));
    await deliver(event('customer.subscription.updated', sub({ cancelAtPeriodEnd: true }), start + 200));
    // Sent earlier by Stripe, delivered later: it must not undo the cancellation.
    const late = await deliver(event('customer.subscription.updated', sub({}), start + 100));
    expect(late.statusCode).toBe(200);
    let [row] = await stripeRows('otto@example.com');
    expect(row!.status).toBe('canceled');
    expect(row!.currentPeriodEnd?.getTime()).toBe((start + 30 * DAY) * 1000);

    await deliver(event('customer.subscription.deleted', sub({ status: 'canceled', endedAt: start + 300 }), start + 300));
    // A late "created" after the deletion changes nothing either.
    await deliver(event('customer.subscription.created', sub({}), start));
    [row] = await stripeRows('otto@example.com');
    expect(row!.status).toBe('canceled');
    expect(row!.currentPeriodEnd?.getTime()).toBe((start + 300) * 1000);
  });

  it('names the reader from subscription metadata when subscription events come before checkout', async () => {
    const uid = await userId('early@example.com');
    const start = nowS();
    await deliver(
      event('customer.subscription.created', subscription('sub_early', { customer: 'cus_early', userId: uid, start, end: start + 365 * DAY }), start),
    );
    expect((await actor('early@example.com')).subscriber).toBe(true);
    expect(await p.store.billing.stripeCustomerOf(uid)).toBe('cus_early');
    // invoice.payment_failed without metadata finds the reader through the linked customer.
    const res = await deliver(
      event(
        'invoice.payment_failed',
        {
          id: 'in_early',
          object: 'invoice',
          customer: 'cus_early',
          billing_reason: 'subscription_cycle',
          period_end: start + 365 * DAY,
          parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_early', metadata: {} } },
        },
        start + 365 * DAY,
      ),
    );
    expect(res.statusCode).toBe(200);
    const [row] = await stripeRows('early@example.com');
    expect(row!.status).toBe('past_due');
    expect(row!.currentPeriodEnd?.getTime()).toBe((start + 365 * DAY) * 1000);
  });

  it('acknowledges events it cannot place or does not handle, and changes nothing', async () => {
    const start = nowS();
    const stranger = await deliver(event('customer.subscription.created', subscription('sub_x', { customer: 'cus_unknown', start, end: start + DAY })));
    expect(stranger.statusCode).toBe(200);
    const other = await deliver(event('charge.refunded', { id: 'ch_1', object: 'charge' }));
    expect(json(other)).toEqual({ received: true, ignored: true });
    const firstPayment = await deliver(
      event('invoice.payment_failed', {
        id: 'in_1',
        object: 'invoice',
        customer: 'cus_ann',
        billing_reason: 'subscription_create',
        period_end: start,
        parent: { subscription_details: { subscription: 'sub_new', metadata: {} } },
      }),
    );
    expect(json(firstPayment)).toEqual({ received: true, ignored: true });
    const rows = await p.store.db.selectFrom('entitlements').selectAll().where('external_ref', 'in', ['sub_x', 'sub_new']).execute();
    expect(rows).toEqual([]);
  });

  it('keeps access after cancellation until the period ends, then ends it', async () => {
    const uid = await userId('carl@example.com');
    const carl = await p.signIn('carl@example.com');
    const start = nowS();
    const end = start + 10 * DAY;
    await deliver(event('customer.subscription.created', subscription('sub_carl', { customer: 'cus_carl', userId: uid, start, end }), start));
    await deliver(
      event('customer.subscription.updated', subscription('sub_carl', { customer: 'cus_carl', userId: uid, start, end, cancelAtPeriodEnd: true }), start + 60),
    );
    expect((await actor('carl@example.com')).subscriber).toBe(true);
    const page = await p.app.inject({ method: 'GET', url: '/subscribe', headers: { cookie: carl.cookie } });
    expect(page.body).toContain('Your subscription is cancelled and ends on');
    // The article page says so too, above the discussion, with the way to manage it.
    const article = await p.app.inject({ method: 'GET', url: '/articles/open-thread', headers: { cookie: carl.cookie } });
    expect(article.body).toMatch(
      /<p class="subscription-state attention">Your subscription is cancelled and ends on [^<]+ <a href="\/account">Manage subscription<\/a>/,
    );
    const me = json(await p.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: carl.cookie } }));
    expect(me.subscription).toMatchObject({ kind: 'canceling', until: new Date(end * 1000).toISOString(), manageable: true });

    p.clock.advance(10 * DAY * 1000 + 1000);
    expect((await actor('carl@example.com')).subscriber).toBe(false);
    const after = json(await p.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: carl.cookie } }));
    expect(after.subscription.kind).toBe('none');
  });

  it('keeps a reader whose payment failed subscribed for the grace period only', async () => {
    const uid = await userId('gina@example.com');
    const start = nowS();
    const renewal = start + 30 * DAY;
    await deliver(event('customer.subscription.created', subscription('sub_gina', { customer: 'cus_gina', userId: uid, start, end: renewal }), start));

    p.clock.advance(30 * DAY * 1000 + 3600_000);
    const failedAt = nowS();
    // The renewal invoice failed: Stripe moves the subscription into the next (unpaid) period.
    await deliver(
      event(
        'invoice.payment_failed',
        {
          id: 'in_gina',
          object: 'invoice',
          customer: 'cus_gina',
          billing_reason: 'subscription_cycle',
          period_start: start,
          period_end: renewal,
          parent: { subscription_details: { subscription: 'sub_gina', metadata: { parley_user_id: String(uid) } } },
        },
        failedAt,
      ),
    );
    await deliver(
      event(
        'customer.subscription.updated',
        subscription('sub_gina', { customer: 'cus_gina', userId: uid, status: 'past_due', start: renewal, end: renewal + 30 * DAY }),
        failedAt,
      ),
    );
    const [row] = await stripeRows('gina@example.com');
    expect(row!.status).toBe('past_due');
    // Paid up to the failed renewal, not to the end of the period nobody paid for.
    expect(row!.currentPeriodEnd?.getTime()).toBe(renewal * 1000);
    expect((await actor('gina@example.com')).subscriber).toBe(true);
    const gina = await p.signIn('gina@example.com');
    const page = await p.app.inject({ method: 'GET', url: '/subscribe', headers: { cookie: gina.cookie } });
    expect(page.body).toContain('Your last payment failed. Update your card before');
    expect((await p.app.inject({ method: 'GET', url: '/articles/open-thread', headers: { cookie: gina.cookie } })).body).toContain(
      '<p class="subscription-state attention">Your last payment failed. Update your card before',
    );

    p.clock.advance(3 * DAY * 1000);
    expect((await actor('gina@example.com')).subscriber).toBe(false);
    const me = json(await p.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: gina.cookie } }));
    expect(me.subscription).toMatchObject({ kind: 'payment_failed', access: false });

    // The card is fixed and the invoice paid: the subscription is active again.
    await deliver(
      event('customer.subscription.updated', subscription('sub_gina', { customer: 'cus_gina', userId: uid, start: renewal, end: renewal + 30 * DAY }), nowS()),
    );
    expect((await actor('gina@example.com')).subscriber).toBe(true);
  });

  it('ends access at once when the subscription is deleted', async () => {
    const uid = await userId('dora@example.com');
    const start = nowS();
    await deliver(event('customer.subscription.created', subscription('sub_dora', { customer: 'cus_dora', userId: uid, start, end: start + 30 * DAY }), start));
    expect((await actor('dora@example.com')).subscriber).toBe(true);
    const res = await deliver(
      event(
        'customer.subscription.deleted',
        subscription('sub_dora', { customer: 'cus_dora', userId: uid, status: 'canceled', start, end: start + 30 * DAY, endedAt: start }),
        start + 5,
      ),
    );
    expect(res.statusCode).toBe(200);
    expect((await actor('dora@example.com')).subscriber).toBe(false);
  });

  it('starts Checkout for signed-in readers only, with the reader and the article to return to', async () => {
    const anon = await p.app.inject({ method: 'POST', url: '/api/v1/billing/checkout', payload: { plan: 'monthly', returnTo: '/articles/open-thread' } });
    expect(anon.statusCode).toBe(401);

    const uid = await userId('newbie@example.com');
    const who = await p.signIn('newbie@example.com');
    const headers = { cookie: who.cookie, 'x-csrf-token': who.csrf };
    const bad = await p.app.inject({ method: 'POST', url: '/api/v1/billing/checkout', headers, payload: { plan: 'weekly' } });
    expect(bad.statusCode).toBe(400);
    const noCsrf = await p.app.inject({ method: 'POST', url: '/api/v1/billing/checkout', headers: { cookie: who.cookie }, payload: { plan: 'monthly' } });
    expect(noCsrf.statusCode).toBe(403);

    const before = fake.calls.length;
    const res = await p.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers,
      payload: { plan: 'annual', returnTo: '/articles/open-thread' },
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const call = fake.calls.slice(before).find((c) => c.path === '/v1/checkout/sessions')!;
    expect(call.form).toMatchObject({
      mode: 'subscription',
      client_reference_id: String(uid),
      customer_email: 'newbie@example.com',
      'line_items[0][price]': 'price_annual_1',
      'line_items[0][quantity]': '1',
      success_url: `${p.config.baseUrl}/articles/open-thread`,
      cancel_url: `${p.config.baseUrl}/articles/open-thread`,
      'subscription_data[metadata][parley_user_id]': String(uid),
    });

    // An off-site return address is replaced by the front page.
    await p.app.inject({ method: 'POST', url: '/api/v1/billing/checkout', headers, payload: { plan: 'monthly', returnTo: '//evil.example/' } });
    expect(fake.calls.at(-1)!.form.success_url).toBe(`${p.config.baseUrl}/`);

    // The no-JavaScript form answers with a redirect to Stripe.
    const form = await p.app.inject({
      method: 'POST',
      url: '/subscribe/checkout',
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: who.csrf, plan: 'monthly', returnTo: '/articles/open-thread' }).toString(),
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    expect(fake.calls.at(-1)!.form['line_items[0][price]']).toBe('price_monthly_1');

    const anonForm = await p.app.inject({
      method: 'POST',
      url: '/subscribe/checkout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'plan=monthly&returnTo=%2Farticles%2Fopen-thread',
    });
    expect(anonForm.statusCode).toBe(303);
    expect(anonForm.headers.location).toBe('/signin?return=%2Fsubscribe%3Freturn%3D%252Farticles%252Fopen-thread');

    const page = await p.app.inject({ method: 'GET', url: '/subscribe?return=/articles/open-thread', headers: { cookie: who.cookie } });
    expect(page.body).toContain('You are not a subscriber.');
    expect(page.body).toContain('Subscribe monthly');
    expect(page.body).toContain('Subscribe yearly');
    expect(page.body).toContain('href="/articles/open-thread"');

    // A reader who already pays is sent to manage their subscription instead.
    await deliver(
      event('customer.subscription.created', subscription('sub_newbie', { customer: 'cus_newbie', userId: uid, start: nowS(), end: nowS() + 30 * DAY })),
    );
    const again = await p.app.inject({ method: 'POST', url: '/api/v1/billing/checkout', headers, payload: { plan: 'monthly' } });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('already_subscribed');
  });

  it('opens the customer portal for readers with a Stripe customer', async () => {
    const none = await p.signIn('nobody@example.com');
    const missing = await p.app.inject({
      method: 'POST',
      url: '/api/v1/billing/portal',
      headers: { cookie: none.cookie, 'x-csrf-token': none.csrf },
      payload: {},
    });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.code).toBe('no_billing_account');

    const ann = await p.signIn('ann@example.com');
    const res = await p.app.inject({
      method: 'POST',
      url: '/api/v1/billing/portal',
      headers: { cookie: ann.cookie, 'x-csrf-token': ann.csrf },
      payload: { returnTo: '/account' },
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).url).toBe('https://billing.stripe.com/p/session/cus_ann');
    expect(fake.calls.at(-1)!.form).toEqual({ customer: 'cus_ann', return_url: `${p.config.baseUrl}/account` });

    const form = await p.app.inject({
      method: 'POST',
      url: '/billing/portal',
      headers: { cookie: ann.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: ann.csrf, returnTo: '/subscribe' }).toString(),
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe('https://billing.stripe.com/p/session/cus_ann');
  });

  it('says so when Stripe is not configured', async () => {
    const bare = await startParley(dialect);
    try {
      const hook = await bare.app.inject({
        method: 'POST',
        url: '/api/v1/billing/stripe/webhook',
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' },
        payload: '{}',
      });
      expect(hook.statusCode).toBe(503);
      expect(json(hook).error.code).toBe('billing_disabled');
      const page = await bare.app.inject({ method: 'GET', url: '/subscribe?return=/articles/open-thread' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('the publisher grants subscriptions by hand');
      expect(page.body).not.toContain('Subscribe monthly');
    } finally {
      await bare.dispose();
    }
  });
});
