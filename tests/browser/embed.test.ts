import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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

  beforeAll(async () => {
    // The allowed host's port must be known before Parley starts, to put it in the allow-list.
    const hostPort = await freePort();
    const port = await freePort();
    parleyUrl = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { EMBED_ALLOWED_ORIGINS: `http://localhost:${hostPort}`, BASE_URL: parleyUrl, EMBED_COMMENT_POLICY: 'members' });
    await p.app.listen({ port, host: '127.0.0.1' });
    // Same page from two origins: localhost:hostPort is allowed, 127.0.0.1:other is not.
    allowed = await servePage('examples/host.html', { PARLEY_ORIGIN: parleyUrl }, hostPort, 'localhost');
    refused = await servePage('examples/host.html', { PARLEY_ORIGIN: parleyUrl });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await allowed?.close();
    await refused?.close();
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
    await expect.poll(() => frame.locator('#comments h2').first().textContent({ timeout: 10_000 }).catch(() => ''), { timeout: 15_000 }).toMatch(/0 Comments/);
    // The host's `* { color: ... !important }` cannot reach into the frame.
    const color = await frame.locator('#comments h2').first().evaluate((el) => getComputedStyle(el).color);
    expect(color).not.toBe('rgb(204, 0, 255)');
    const height = await page.locator('iframe').evaluate((f) => (f as HTMLIFrameElement).getBoundingClientRect().height);
    expect(height).toBeGreaterThan(100);
    const registered = await p.store.listArticles(100);
    expect(registered.some((a) => a.title === 'Our own article, on our own site' && a.url === allowed.url)).toBe(true);
    expect(problems.filter((m) => !m.includes('favicon'))).toEqual([]);
    await page.close();
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
});
