import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { startParley, type TestParley } from '../support/harness.js';
import { servePage } from '../support/static-host.js';

describe('embed on a publisher page of another origin', () => {
  let p: TestParley;
  let browser: Browser;
  let parleyUrl: string;
  let allowed: { url: string; close: () => Promise<void> };
  let refused: { url: string; close: () => Promise<void> };
  let signedOn: { url: string; close: () => Promise<void> };
  // Who is signed in on the publisher's own site, as its token endpoint sees it.
  let publisherReader: { sub: string; email: string; name: string } | null = null;

  beforeAll(async () => {
    // The allowed host's port must be known before Parley starts, to put it in the allow-list.
    const hostPort = await freePort();
    const ssoHostPort = await freePort();
    const port = await freePort();
    parleyUrl = `http://127.0.0.1:${port}`;
    const secret = 'the-publisher-and-parley-share-this-secret';
    p = await startParley('sqlite', {
      EMBED_ALLOWED_ORIGINS: `http://localhost:${hostPort},http://localhost:${ssoHostPort}`,
      BASE_URL: parleyUrl,
      EMBED_COMMENT_POLICY: 'members',
      SSO_SECRET: secret,
    });
    await p.app.listen({ port, host: '127.0.0.1' });
    // Same page from two origins: localhost:hostPort is allowed, 127.0.0.1:other is not.
    allowed = await servePage('examples/host.html', { PARLEY_ORIGIN: parleyUrl }, hostPort, 'localhost');
    refused = await servePage('examples/host.html', { PARLEY_ORIGIN: parleyUrl });
    // A publisher with its own accounts: its page says where the frame gets a sign-on token.
    const tokenEndpoint = async () => {
      if (!publisherReader) return '';
      const now = Math.floor(p.clock.now().getTime() / 1000);
      return new SignJWT({ ...publisherReader, subscriber: true, aud: parleyUrl, iat: now, exp: now + 120, jti: randomUUID() })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(secret));
    };
    signedOn = await servePage(
      'examples/host.html',
      {
        PARLEY_ORIGIN: parleyUrl,
        '<div data-parley-article="host-article-1"': '<div data-parley-sso-url="/parley-token" data-parley-article="host-article-2"',
      },
      ssoHostPort,
      'localhost',
      { '/parley-token': tokenEndpoint },
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await allowed?.close();
    await refused?.close();
    await signedOn?.close();
    await p?.dispose();
  });

  it('renders the discussion lazily in an isolated frame on an allowed origin, and registers the article', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(allowed.url);
    // Nothing loads until the reader nears the discussion.
    await page.waitForTimeout(300);
    expect(await page.locator('iframe').count()).toBe(0);
    await page.mouse.wheel(0, 5000);
    const frame = page.frameLocator('iframe[title="Comments"]');
    await expect
      .poll(
        () =>
          frame
            .locator('#comments h2')
            .first()
            .textContent({ timeout: 10_000 })
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toMatch(/0 Comments/);
    // The host's `* { color: ... !important }` cannot reach into the frame.
    const color = await frame
      .locator('#comments h2')
      .first()
      .evaluate((el) => getComputedStyle(el).color);
    expect(color).not.toBe('rgb(204, 0, 255)');
    // The publisher's theme does reach it: data-parley-accent colours the frame's links.
    expect(await frame.locator('.parley-view-all').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(11, 95, 255)');
    const height = await page.locator('iframe').evaluate((f) => (f as HTMLIFrameElement).getBoundingClientRect().height);
    expect(height).toBeGreaterThan(100);
    const registered = await p.store.articles.list(100);
    expect(registered.some((a) => a.title === 'Our own article, on our own site' && a.url === allowed.url)).toBe(true);
    expect(problems.filter((m) => !m.includes('favicon'))).toEqual([]);
    await page.close();
    // axe inside the frame, as it sits in the host page (whose own styles are not ours to judge), light and dark.
    for (const colorScheme of ['light', 'dark'] as const) {
      const ctx = await browser.newContext({ colorScheme });
      const host = await ctx.newPage();
      await host.goto(allowed.url);
      await host.mouse.wheel(0, 5000);
      await host
        .frameLocator('iframe[title="Comments"]')
        .getByRole('heading', { name: /Comments/ })
        .first()
        .waitFor();
      const result = await new AxeBuilder({ page: host })
        .include('iframe[title="Comments"]')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        .analyze();
      expect(
        result.violations.map(
          (v) =>
            `${v.id}: ${v.help} ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(' | ')}`,
        ),
        `axe in the embed (${colorScheme})`,
      ).toEqual([]);
      // The host page is light only and says so (data-parley-scheme): a dark-mode reader still gets dark text on it.
      expect(
        await host
          .frameLocator('iframe[title="Comments"]')
          .locator('#comments h2')
          .first()
          .evaluate((el) => getComputedStyle(el).color),
      ).toBe('rgb(27, 27, 26)');
      await ctx.close();
    }
    // A host that does not say: a dark-mode reader's frame brings its own dark background for its light text.
    const dark = await browser.newContext({ colorScheme: 'dark' });
    const alone = await dark.newPage();
    await alone.goto(`${parleyUrl}/embed/frame?article=host-article-1&url=${encodeURIComponent(allowed.url)}&title=t`);
    expect(await alone.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(22, 23, 26)');
    expect(
      await alone
        .locator('#comments h2')
        .first()
        .evaluate((el) => getComputedStyle(el).color),
    ).toBe('rgb(236, 235, 232)');
    await dark.close();
  });

  it('refuses to render on an origin that is not allowed', async () => {
    const page = await browser.newPage();
    await page.goto(refused.url);
    await page.mouse.wheel(0, 5000);
    await page.waitForSelector('iframe', { state: 'attached', timeout: 10_000 });
    await page.waitForTimeout(1500);
    const frame = page.frames().find((f) => f.url().includes('/embed/frame'));
    const text = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(text).not.toMatch(/Comments$/m);
    const res = await fetch(`${parleyUrl}/embed/frame?article=x&url=${encodeURIComponent(refused.url)}&title=t`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await page.close();
  });

  it("signs the publisher's reader in inside the frame on another site, and out again when they leave the publisher", async () => {
    publisherReader = { sub: 'member-77', email: 'member77@publisher.example', name: 'Ines Member' };
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(signedOn.url);
    await page.mouse.wheel(0, 5000);
    const frame = page.frameLocator('iframe[title="Comments"]');
    await frame.getByText('Signed in as Ines Member').waitFor({ timeout: 15_000 });
    // The session cookie is partitioned: it lives under the publisher's site, not as a third-party cookie.
    const cookie = (await context.cookies(parleyUrl)).find((c) => c.name === 'parley_embed_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'None', partitionKey: expect.stringContaining('localhost') });
    // The token never stays in the frame's address.
    const src = page
      .frames()
      .find((f) => f.url().includes('/embed/frame'))!
      .url();
    expect(src).not.toContain('sso=');
    await frame.getByRole('textbox', { name: 'Write a comment' }).fill('Written on the publisher page, signed in by its own accounts.');
    await frame.getByRole('button', { name: 'Post', exact: true }).click();
    await frame.getByText('Written on the publisher page, signed in by its own accounts.').waitFor();
    const user = await p.store.users.byEmail('member77@publisher.example');
    expect(user?.displayName).toBe('Ines Member');
    const article = (await p.store.articles.list(100)).find((a) => a.url === signedOn.url)!;
    const stored = await p.discussions.page(article.id, 'newest', undefined, null);
    expect(stored.threads.map((t) => [t.comment.author?.name, t.comment.bodySrc])).toContainEqual([
      'Ines Member',
      'Written on the publisher page, signed in by its own accounts.',
    ]);

    // Signed out on the publisher's site: the next page view's frame is a guest's.
    publisherReader = null;
    await page.reload();
    await page.mouse.wheel(0, 5000);
    await frame.getByRole('heading', { name: 'Join the discussion' }).waitFor({ timeout: 15_000 });
    expect(await frame.getByText('Signed in as Ines Member').count()).toBe(0);
    expect(problems.filter((m) => !m.includes('favicon'))).toEqual([]);
    await context.close();
    // Two page views, each with a sign-on round trip and a frame: room for a busy two-core machine.
  }, 60_000);
});
