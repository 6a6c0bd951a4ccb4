import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ARTICLE, seedDemo } from '../../src/demo/seed.js';
import { messagesFor } from '../../src/messages/locales/index.js';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { startParley, TestClock, type TestParley } from '../support/harness.js';

/** Screenshots for a person to look at; .tmp/ is ignored by git. */
const SHOTS = '.tmp/screens';
const ar = messagesFor('ar');

/** Parley with LOCALE=ar, right to left, in a real browser on a 360 px phone (issue 15). */
describe('Arabic, right to left (LOCALE=ar)', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;

  async function visitor(email: string | null, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, ...options });
    if (email) {
      const { cookie } = await p.signIn(email);
      await ctx.addCookies([{ name: 'parley_session', value: cookie.split('=')[1]!, url: base, httpOnly: true, sameSite: 'Lax' }]);
    }
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    return { ctx, page };
  }
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base, CONTENT_DIR: 'content', LOCALE: 'ar' }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    await seedDemo(p);
    await p.accounts.grant('ada@example.com', null);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it('reads the demo thread right to left at 360 px: Arabic widget bundle, mirrored indents, no overflow, no axe violation', async () => {
    const { ctx, page } = await visitor('ada@example.com');
    const problems = watchConsole(page);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await page.goto(`${base}/articles/${DEMO_ARTICLE}`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    // The widget is running (its composer is an Arabic textbox) and came from the Arabic bundle only.
    await page.getByRole('textbox', { name: ar.widget.composerLabel }).waitFor();
    await expect.poll(() => page.evaluate(() => document.querySelector('#parley-root button[aria-haspopup], #parley-root details') !== null)).toBe(true);
    expect(scripts).toContain('/static/widget.ar.js');
    expect(scripts).not.toContain('/static/widget.js');
    await expect.poll(() => page.getByRole('heading', { name: /تعليق/ }).first().isVisible()).toBe(true);

    // A reply sits further from the right edge than its thread's first comment: indents mirror.
    const reply = page.locator('.parley-thread > article.indent-1').first();
    const top = page.locator('.parley-thread > article:not([class*="indent-"])').first();
    const [replyBox, topBox] = [await reply.boundingBox(), await top.boundingBox()];
    expect(replyBox!.x + replyBox!.width).toBeLessThan(topBox!.x + topBox!.width - 5);
    expect(await reply.evaluate((el) => getComputedStyle(el).borderRightStyle)).toBe('solid');

    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/locale-ar-360.png`, fullPage: false });
    await expectAccessible(page, 'the Arabic article page at 360 px');

    // Posting speaks Arabic too: the announcement and the count's plural form.
    await page.getByRole('textbox', { name: ar.widget.composerLabel }).fill('تعليق تجريبي من المتصفح.');
    await page.getByRole('button', { name: ar.widget.post, exact: true }).click();
    await page.getByText(ar.widget.announce.posted).waitFor({ state: 'attached' });
    await page.getByText('تعليق تجريبي من المتصفح.').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('shows a guest the Arabic join block and sign-in page, with and without JavaScript, within 360 px', async () => {
    const { ctx, page } = await visitor(null);
    await page.goto(`${base}/articles/${DEMO_ARTICLE}`);
    await page.getByRole('heading', { name: ar.widget.joinHeading }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the Arabic article page for a guest');
    await page.goto(`${base}/signin`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(ar.pages.signInHeading);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the Arabic sign-in page');
    await ctx.close();

    // Without JavaScript the server's rendering is all there is: Arabic, right to left, and it fits.
    const { ctx: noJs, page: plain } = await visitor(null, { javaScriptEnabled: false });
    await plain.goto(`${base}/articles/${DEMO_ARTICLE}`);
    expect(await plain.getByRole('heading', { name: ar.widget.joinHeading }).isVisible()).toBe(true);
    expect(await plain.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await overflow(plain)).toBeLessThanOrEqual(0);
    await noJs.close();
  });

  it('runs the moderation dashboard in Arabic at 360 px', async () => {
    const mod = await p.store.users.ensure('mod@example.com', 'Moderator', new Date());
    await p.store.db.updateTable('users').set({ role: 'moderator' }).where('id', '=', mod.id).execute();
    const { ctx, page } = await visitor('mod@example.com');
    const problems = watchConsole(page);
    await page.goto(`${base}/admin`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(ar.moderation.heading);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/locale-ar-admin-360.png` });
    await expectAccessible(page, 'the Arabic moderation dashboard');
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
