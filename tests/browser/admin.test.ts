import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { json, startParley, TestClock, type TestParley } from '../support/harness.js';

describe('the moderation dashboard in a real browser', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;
  let articleId: number;
  let reader: { cookie: string; csrf: string };

  const hold = async (body: string) => {
    const res = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: reader.cookie, 'x-csrf-token': reader.csrf },
      payload: { body },
    });
    expect(res.statusCode).toBe(201);
    const c = json(res).comment as { id: number; status: string };
    expect(c.status).toBe('pending');
    return c.id;
  };

  /** A browser context signed in as `email`, with the session cookie the real sign-in made. */
  async function signedIn(email: string): Promise<{ ctx: BrowserContext; page: Page }> {
    const { cookie } = await p.signIn(email);
    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: 'parley_session', value: cookie.split('=')[1]!, url: base, httpOnly: true, sameSite: 'Lax' }]);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    return { ctx, page };
  }

  beforeAll(async () => {
    // The dashboard script comes from the web build (`npm test` runs it first).
    expect(existsSync('dist/public/admin.js'), 'dist/public/admin.js is missing: run node scripts/build-web.mjs').toBe(true);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    await p.moderation.setRoleByEmail('mia@example.com', 'moderator', 'Mia');
    await p.accounts.grant('ada@example.com', null);
    reader = await p.signIn('ada@example.com');
    await p.moderation.rules.saveSite({ premoderateAll: true, premoderateLinks: false, newAccountComments: 0, bannedWords: [] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it('lets a moderator clear the queue from the keyboard, accessibly, without script errors', async () => {
    const held = [await hold('First held comment'), await hold('Second, with **bold** words'), await hold('Third: an insult to reject')];
    const before = (await p.store.articles.byId(articleId))!.commentCount;
    const { ctx, page } = await signedIn('mia@example.com');
    const problems = watchConsole(page);
    await page.goto(`${base}/admin`);
    await expect.poll(() => page.getByRole('heading', { name: 'Moderation', level: 1 }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Pending (3)' }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('article.item').count()).toBe(3);
    expect(await page.locator(`#item-${held[1]} .item-body strong`).textContent()).toBe('bold');
    await expectAccessible(page, 'the moderation queue');

    // j focuses the first comment; a approves it and focus moves on to the next.
    await page.keyboard.press('j');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`item-${held[0]}`);
    await page.keyboard.press('a');
    await expect.poll(() => page.locator(`#item-${held[0]}`).count()).toBe(0);
    await expect.poll(() => page.locator('#admin-status').textContent()).toBe('1 comment approved.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`item-${held[1]}`);
    expect(await page.getByRole('link', { name: 'Pending (2)' }).count()).toBe(1);
    await page.keyboard.press('a');
    await expect.poll(() => page.locator(`#item-${held[1]}`).count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`item-${held[2]}`);

    // r rejects with the reason in the comment's reason field; Escape leaves the field for the comment.
    await page.locator(`#item-${held[2]} input.reason`).focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Insults a reader');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`item-${held[2]}`);
    await page.keyboard.press('r');
    await expect.poll(() => page.getByText('Nothing is waiting for review.').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Pending (0)' }).count()).toBe(1);
    await expect.poll(() => page.locator('#admin-status').textContent()).toBe('1 comment rejected.');

    // The server agrees: two published and counted, one rejected with the reason given.
    expect((await p.store.comments.byId(held[0]!))!.status).toBe('visible');
    expect((await p.store.comments.byId(held[1]!))!.status).toBe('visible');
    expect(await p.store.comments.byId(held[2]!)).toMatchObject({ status: 'rejected', moderationReason: 'Insults a reader' });
    expect((await p.store.articles.byId(articleId))!.commentCount).toBe(before + 2);
    await expectAccessible(page, 'the emptied queue');
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('selects several comments with x and acts on the selection; edits and pins from the keyboard', async () => {
    const held = [await hold('Bulk one'), await hold('Bulk two'), await hold('Keep me, pin me')];
    const { ctx, page } = await signedIn('mia@example.com');
    const problems = watchConsole(page);
    await page.goto(`${base}/admin`);
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    expect(await page.locator('input.item-select:checked').count()).toBe(2);
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('#admin-status').textContent()).toBe('2 comments approved.');
    await expect.poll(() => page.locator('article.item').count()).toBe(1);
    for (const id of held.slice(0, 2)) expect((await p.store.comments.byId(id))!.status).toBe('visible');

    // e opens the editor on the remaining comment; the edit is signed by the moderator.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`item-${held[2]}`);
    await page.keyboard.press('e');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Kept, and *edited*');
    await page.getByRole('button', { name: 'Save edit' }).click();
    await expect.poll(() => page.locator(`#item-${held[2]} .item-body em`).textContent()).toBe('edited');
    const edited = (await p.store.comments.byId(held[2]!))!;
    expect(edited.editedByName).toBe('Mia');
    await page.keyboard.press('a');
    await expect.poll(() => page.getByText('Nothing is waiting for review.').isVisible()).toBe(true);
    expect((await p.store.comments.byId(held[2]!))!.status).toBe('visible');
    expect(problems).toEqual([]);
    await ctx.close();

    // Pinning from the reported queue: a reader reports it, the moderator pins it with p.
    await p.accounts.grant('bob@example.com', null);
    const bob = await p.signIn('bob@example.com');
    const r = await p.app.inject({
      method: 'POST',
      url: `/api/v1/comments/${held[2]}/report`,
      headers: { cookie: bob.cookie, 'x-csrf-token': bob.csrf },
      payload: { reason: 'off_topic' },
    });
    expect(r.statusCode).toBe(201);
    const again = await signedIn('mia@example.com');
    await again.page.goto(`${base}/admin?tab=reported`);
    await again.page.keyboard.press('j');
    await again.page.keyboard.press('p');
    await expect.poll(() => again.page.locator('#admin-status').textContent()).toBe('Pinned.');
    expect((await p.store.comments.byId(held[2]!))!.pinned).toBe(true);
    expect(await again.page.locator(`#item-${held[2]} button[value="unpin:${held[2]}"]`).count()).toBe(1);
    await expectAccessible(again.page, 'the reported queue');
    await again.ctx.close();
  });

  it('shows readers a 403 and no queue', async () => {
    const { ctx, page } = await signedIn('ada@example.com');
    const res = await page.goto(`${base}/admin`);
    expect(res!.status()).toBe(403);
    expect(await page.locator('article.item').count()).toBe(0);
    expect(await page.getByText('Only moderators can do that.').isVisible()).toBe(true);
    await ctx.close();
  });
});
