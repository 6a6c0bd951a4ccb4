import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser } from '../support/browser.js';
import { FakeStripe } from '../support/fake-stripe.js';
import { freePort } from '../support/process.js';
import { startParley, TestClock, type TestParley } from '../support/harness.js';
import { SmtpSink, signInLink } from '../support/smtp-sink.js';

const WHSEC = 'whsec_browser_paywall_secret';

describe('from paywall to posting, in a real browser', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;
  const sink = new SmtpSink();
  const fake = new FakeStripe();

  beforeAll(async () => {
    const smtp = await sink.start();
    const stripeApi = await fake.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley(
      'sqlite',
      {
        SMTP_URL: smtp,
        BASE_URL: base,
        METER_FREE_ARTICLES: '1',
        STRIPE_SECRET_KEY: 'sk_test_browser',
        STRIPE_WEBHOOK_SECRET: WHSEC,
        STRIPE_PRICE_MONTHLY: 'price_m',
        STRIPE_API_URL: stripeApi,
      },
      { clock: new TestClock(Date.now()) },
    );
    await p.app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
    await sink.stop();
    await fake.stop();
  });

  it('cuts the second article for a non-subscriber, then a Stripe webhook lets them read and post', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/signin?return=/articles/members-thread`);
    await page.getByLabel('Email address').fill('payer@example.com');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText(/a link is on its way/).waitFor();
    await page.goto(signInLink(await sink.waitFor('payer@example.com')));
    await page.getByRole('button', { name: 'Sign me in' }).click();
    await page.waitForURL(/members-thread/);
    // The first article of the month is free and whole.
    expect(await page.getByRole('heading', { name: 'Subscribe to keep reading' }).count()).toBe(0);

    await page.goto(`${base}/articles/open-thread`);
    await page.getByRole('heading', { name: 'Subscribe to keep reading' }).waitFor();
    expect(await page.locator('.article-body').textContent()).not.toContain('Fourth paragraph');
    await page.getByRole('heading', { name: 'Join the discussion' }).waitFor();
    await expectAccessible(page, 'paywalled article');

    // Checkout starts at Stripe (the fake API here); Stripe then calls our webhook.
    await page.goto(`${base}/subscribe?return=/articles/open-thread`);
    const checkout = fake.calls.length;
    // Stripe's hosted page is on the internet; the browser is shown a stand-in at its address.
    await ctx.route('https://checkout.stripe.com/**', (r) => r.fulfill({ contentType: 'text/html', body: '<title>Checkout</title><h1>Stripe Checkout</h1>' }));
    await page.getByRole('button', { name: 'Subscribe monthly' }).click();
    await page.waitForURL(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/, { waitUntil: 'commit' });
    const call = fake.calls.slice(checkout).find((c) => c.path === '/v1/checkout/sessions')!;
    expect(call.form['line_items[0][price]']).toBe('price_m');
    expect(call.form.success_url).toContain('/articles/open-thread');
    const user = (await p.store.users.byEmail('payer@example.com'))!;
    const now = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify({
      id: 'evt_browser_1',
      object: 'event',
      api_version: '2026-01-28.clover',
      type: 'customer.subscription.created',
      created: now,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: {
          id: 'sub_browser_1',
          object: 'subscription',
          customer: 'cus_browser_1',
          status: 'active',
          cancel_at_period_end: false,
          cancel_at: null,
          ended_at: null,
          created: now,
          metadata: { parley_user_id: String(user.id) },
          items: { object: 'list', data: [{ id: 'si_1', object: 'subscription_item', current_period_start: now, current_period_end: now + 30 * 86400 }] },
        },
      },
    });
    const signature = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret: WHSEC });
    const hook = await fetch(`${base}/api/v1/billing/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
    expect(hook.status).toBe(200);

    await page.goto(`${base}/articles/open-thread`);
    expect(await page.getByRole('heading', { name: 'Subscribe to keep reading' }).count()).toBe(0);
    expect(await page.locator('.article-body').textContent()).toContain('Fourth paragraph');
    await page.getByLabel('Write a comment').fill('Paid up and posting.');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.locator('.parley-thread > article', { hasText: 'Paid up and posting.' }).waitFor();
    await ctx.close();
  });
});
