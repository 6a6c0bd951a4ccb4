import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { json, startParley, TestClock, type TestParley } from '../support/harness.js';

describe("moderators' search and reader history in a real browser", () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;
  let articleId: number;
  let adaId: number;
  const posted: Record<string, number> = {};

  async function signedIn(
    email: string,
    opts: { javaScriptEnabled?: boolean; colorScheme?: 'light' | 'dark'; width?: number } = {},
  ): Promise<{ ctx: BrowserContext; page: Page }> {
    const { cookie } = await p.signIn(email);
    const ctx = await browser.newContext({
      javaScriptEnabled: opts.javaScriptEnabled ?? true,
      colorScheme: opts.colorScheme ?? 'light',
      viewport: { width: opts.width ?? 1280, height: 900 },
    });
    await ctx.addCookies([{ name: 'parley_session', value: cookie.split('=')[1]!, url: base, httpOnly: true, sameSite: 'Lax' }]);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    return { ctx, page };
  }

  const say = async (who: { cookie: string; csrf: string }, body: string) => {
    const res = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      payload: { body },
    });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).comment.id as number;
  };
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

  beforeAll(async () => {
    expect(existsSync('dist/public/admin.js'), 'dist/public/admin.js is missing: run npm run build').toBe(true);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    await p.moderation.setRoleByEmail('mia@example.com', 'moderator', 'Mia');
    for (const e of ['ada', 'bob']) await p.accounts.grant(`${e}@example.com`, null);
    adaId = (await p.store.users.byEmail('ada@example.com'))!.id;
    await p.store.users.setDisplayName(adaId, 'Ada Lovelace');
    const ada = await p.signIn('ada@example.com');
    const bob = await p.signIn('bob@example.com');
    posted.a1 = await say(ada, 'The harbour lights were <b>lovely</b> tonight.');
    posted.b1 = await say(bob, 'I walked along the harbour wall in the rain.');
    posted.a2 = await say(ada, 'Nothing about boats here, only trains.');
    const r = await p.app.inject({
      method: 'POST',
      url: `/api/v1/comments/${posted.a1}/report`,
      headers: { cookie: bob.cookie, 'x-csrf-token': bob.csrf },
      payload: { reason: 'off_topic', text: 'not about the article' },
    });
    expect(r.statusCode).toBe(201);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it('searches from the keyboard, walks the results and opens an author history, with no axe violation', async () => {
    const { ctx, page } = await signedIn('mia@example.com');
    const problems = watchConsole(page);
    await page.goto(`${base}/admin`);
    // The dashboard's navigation leads to the search.
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Search comments', level: 1 }).isVisible()).toBe(true);
    await expectAccessible(page, 'the search page before a search');

    // / goes to the search box; Enter searches.
    await page.keyboard.press('/');
    await expect.poll(() => focused(page)).toBe('search-q');
    await page.keyboard.type('harbour');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: '2 comments found' }).isVisible()).toBe(true);
    expect(await page.locator('ol.search-results mark').allTextContents()).toEqual(['harbour', 'harbour']);
    // A comment's markup is shown as text, never as elements.
    expect(await page.locator('ol.search-results b').count()).toBe(0);
    await expectAccessible(page, 'search results');

    // j walks the results; h opens the current result's author history.
    await page.keyboard.press('j');
    await expect.poll(() => focused(page)).toBe(`result-${posted.b1}`);
    await page.keyboard.press('j');
    await expect.poll(() => focused(page)).toBe(`result-${posted.a1}`);
    await page.keyboard.press('h');
    await expect.poll(() => page.getByRole('heading', { name: 'History of Ada Lovelace', level: 1 }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/admin/users/${adaId}`);
    await expect.poll(() => page.locator('#history-against + ul li').count()).toBe(1);
    expect(await page.locator('#history-against + ul').textContent()).toContain('not about the article');
    expect(await page.locator('ol.search-results article.item').count()).toBe(2);
    await expectAccessible(page, "a reader's history");

    // The history's own links reach every comment of the reader through the search.
    await page.getByRole('link', { name: 'Search all 2 of their comments' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: '2 comments found' }).isVisible()).toBe(true);
    expect(await page.locator('#search-author').inputValue()).toBe('ada@example.com');
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it("reaches an author's history from the queue by keyboard", async () => {
    const { ctx, page } = await signedIn('mia@example.com');
    await page.goto(`${base}/admin?tab=reported`);
    await page.keyboard.press('j');
    await expect.poll(() => focused(page)).toBe(`item-${posted.a1}`);
    await page.keyboard.press('h');
    await expect.poll(() => page.getByRole('heading', { name: 'History of Ada Lovelace', level: 1 }).isVisible()).toBe(true);
    await ctx.close();
  });

  it('works without script', async () => {
    const { ctx, page } = await signedIn('mia@example.com', { javaScriptEnabled: false });
    await page.goto(`${base}/admin/search`);
    await page.locator('#search-q').fill('harbour');
    await page.locator('#search-author').fill('Lovelace');
    await page.locator('#search-q').press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: '1 comment found' }).isVisible()).toBe(true);
    expect(await page.locator('ol.search-results article.item').getAttribute('id')).toBe(`result-${posted.a1}`);
    // Approving a reported comment from a result settles its reports and comes back to the search.
    await page.locator(`#result-${posted.a1}`).getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('#admin-status').textContent()).toBe('1 comment approved.');
    expect(await page.locator('#search-q').inputValue()).toBe('harbour');
    expect(await page.locator('#search-author').inputValue()).toBe('Lovelace');
    expect(await p.store.moderation.openReportCount(posted.a1!)).toBe(0);
    await page.locator(`#result-${posted.a1} a[data-key="h"]`).click();
    await expect.poll(() => page.getByRole('heading', { name: 'History of Ada Lovelace', level: 1 }).isVisible()).toBe(true);
    await ctx.close();
  });

  it('fits a phone and reads in the dark, with no axe violation', async () => {
    const { ctx, page } = await signedIn('mia@example.com', { colorScheme: 'dark', width: 360 });
    await page.goto(`${base}/admin/search?q=harbour&reports=any`);
    await expect.poll(() => page.getByRole('heading', { name: '1 comment found' }).isVisible()).toBe(true);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'search results at 360 px in the dark');
    await page.goto(`${base}/admin/users/${adaId}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'a history at 360 px in the dark');
    await ctx.close();
  });

  it('rejects a result from the keyboard and shows what it became, in place', async () => {
    const { ctx, page } = await signedIn('mia@example.com');
    const problems = watchConsole(page);
    await page.goto(`${base}/admin/search?q=harbour`);
    await page.keyboard.press('j');
    await expect.poll(() => focused(page)).toBe(`result-${posted.b1}`);
    await page.keyboard.press('r');
    await expect.poll(() => page.locator('#admin-status').textContent()).toBe('1 comment rejected.');
    expect(await page.locator(`#result-${posted.b1} .badge`).textContent()).toBe('Rejected');
    // The result stays, and keeps the focus.
    expect(await page.locator('ol.search-results article.item').count()).toBe(2);
    await expect.poll(() => focused(page)).toBe(`result-${posted.b1}`);
    expect((await p.store.comments.byId(posted.b1!))!.status).toBe('rejected');
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
