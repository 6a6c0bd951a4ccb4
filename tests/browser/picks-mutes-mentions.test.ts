import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/services/accounts.js';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { TestClock, startParley, type TestParley } from '../support/harness.js';
import { freePort } from '../support/process.js';

/** Issue 16 in Chromium: editors' picks, muting and mentions, by keyboard where a reader would, checked by axe. */
describe("editors' picks, muting and mentions in a real browser", () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;
  let bobs: number;
  let adas: number;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    const article = (await p.store.articles.bySlug('open-thread'))!;
    for (const [email, name] of [
      ['ada@example.com', 'Ada Lovelace'],
      ['bob@example.com', 'Bob Builder'],
      ['mia@example.com', 'Mia Moderator'],
    ] as const) {
      const user = await p.store.users.ensure(email, name, new Date());
      await p.accounts.grant(email, null);
      await p.store.users.createSession(hashToken(`${email}-session`), user.id, `${email}-csrf`, new Date(), new Date(Date.now() + 3600_000));
    }
    await p.moderation.setRoleByEmail('mia@example.com', 'moderator', 'Mia Moderator');
    const actor = async (email: string) => p.accounts.actorFor((await p.store.users.byEmail(email))!);
    bobs = (await p.discussions.post(await actor('bob@example.com'), article.id, 'Night trains are hotels that move.', null)).comment.id;
    p.clock.advance(60_000);
    adas = (await p.discussions.post(await actor('ada@example.com'), article.id, 'And the breakfast comes with a view.', bobs)).comment.id;
    p.clock.advance(60_000);
    await p.discussions.post(await actor('bob@example.com'), article.id, 'A second thought from Bob.', null);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  const signedIn = async (email: string, opts: Parameters<Browser['newContext']>[0] = {}) => {
    const ctx = await browser.newContext(opts);
    await ctx.addCookies([{ name: 'parley_session', value: `${email}-session`, url: base }]);
    return ctx;
  };
  async function open(ctx: BrowserContext, url = `${base}/articles/open-thread?sort=oldest`): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(url);
    // The row's controls arrive with the script.
    await page.locator(`#comment-${bobs} .parley-votes[role="group"]`).waitFor();
    return page;
  }
  /** Opens comment `id`'s menu by keyboard and returns it. */
  async function menu(page: Page, id: number) {
    await page.locator(`#comment-${id} .parley-more summary`).first().focus();
    await page.keyboard.press('Enter');
    const list = page.locator(`#comment-${id} .parley-menu`).first();
    await list.waitFor();
    return list;
  }

  it('lets a moderator feature a comment from its menu; the badge shows at once and the Featured tab lists it', async () => {
    const ctx = await signedIn('mia@example.com');
    const page = await open(ctx);
    const problems = watchConsole(page);
    const items = await menu(page, adas);
    await expectAccessible(page, 'comment menu with Feature');
    await items.getByRole('button', { name: "Feature as editors' pick" }).click();
    const badge = page.locator(`#comment-${adas} .parley-badge`, { hasText: 'Featured' });
    await badge.waitFor();
    expect((await p.store.comments.byId(adas))!.featuredAt).not.toBeNull();
    // The Featured tab, taken over by the script: the pick alone, its badge, the tab current.
    await page.getByRole('link', { name: 'Featured' }).click();
    await page.waitForURL(/sort=featured/);
    await expect.poll(() => page.locator('.parley-threads > li').count()).toBe(1);
    expect(await page.locator('.parley-threads article').first().getAttribute('id')).toBe(`comment-${adas}`);
    expect(await page.getByRole('link', { name: 'Featured' }).getAttribute('aria-current')).toBe('true');
    await expectAccessible(page, 'Featured tab');
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('serves the Featured tab without JavaScript as a plain link', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${base}/articles/open-thread`);
    await page.getByRole('link', { name: 'Featured' }).click();
    await page.waitForURL(/\?sort=featured/);
    expect(await page.locator(`#comment-${adas}`).textContent()).toContain('breakfast');
    expect(await page.locator(`article#comment-${bobs}`).count()).toBe(0);
    expect(await page.locator(`#comment-${adas} .parley-badge`).textContent()).toBe('Featured');
    await ctx.close();
  });

  it('lets a reader mute another from the menu: their comments collapse to a line that opens them, also after a reload, and /account undoes it without JavaScript', async () => {
    const ctx = await signedIn('ada@example.com');
    const page = await open(ctx);
    const problems = watchConsole(page);
    const items = await menu(page, bobs);
    await items.getByRole('button', { name: 'Mute Bob Builder' }).click();
    const collapsed = page.locator('.parley-muted');
    await expect.poll(() => collapsed.count()).toBe(2);
    // Focus lands on the collapsed line, which says what it is.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('A reader you muted wrote this. Show comment');
    expect(await page.locator(`#comment-${bobs} header + div`).isVisible()).toBe(false);
    // Ada's own reply is untouched.
    expect(await page.locator(`#comment-${adas} header + div`).isVisible()).toBe(true);
    await expectAccessible(page, 'muted comments collapsed');
    await page.keyboard.press('Enter');
    expect(await page.locator(`#comment-${bobs} header + div`).isVisible()).toBe(true);
    // Server-rendered the same way after a reload.
    await page.reload();
    await expect.poll(() => page.locator('.parley-muted').count()).toBe(2);
    expect(problems).toEqual([]);
    await ctx.close();

    // The list in /account, checked by axe (which needs scripts to run)...
    const checked = await signedIn('ada@example.com');
    const view = await checked.newPage();
    await view.goto(`${base}/account`);
    expect(await view.getByRole('region', { name: 'Muted readers' }).textContent()).toContain('Bob Builder');
    await expectAccessible(view, 'account page with a muted reader');
    await checked.close();
    // ...and its form, which works without JavaScript.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    await plain.addCookies([{ name: 'parley_session', value: 'ada@example.com-session', url: base }]);
    const account = await plain.newPage();
    await account.goto(`${base}/account`);
    const section = account.getByRole('region', { name: 'Muted readers' });
    expect(await section.textContent()).toContain('Bob Builder');
    await section.getByRole('button', { name: 'Unmute Bob Builder' }).click();
    await account.waitForURL(/done=unmuted/);
    expect(await account.getByRole('status').first().textContent()).toContain('Unmuted');
    expect(await account.getByRole('region', { name: 'Muted readers' }).textContent()).toContain('You have not muted anyone.');
    await plain.close();
    const again = await open(await signedIn('ada@example.com'));
    expect(await again.locator('.parley-muted').count()).toBe(0);
  });

  it('suggests participants after @ in the comment box, by keyboard, and posts a linked mention', async () => {
    const ctx = await signedIn('ada@example.com');
    const page = await open(ctx);
    const problems = watchConsole(page);
    const box = page.getByLabel('Write a comment');
    await box.click();
    await box.pressSequentially('Agreed with @Bo');
    const list = page.getByRole('listbox', { name: 'Readers to mention' });
    await list.waitFor();
    expect(await list.getByRole('option').allTextContents()).toEqual(['@Bob Builder']);
    // The box keeps focus and names the chosen option.
    expect(await box.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').first().getAttribute('id'));
    expect(await box.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    await expectAccessible(page, 'mention suggestions');
    // Escape closes the list, not the box; typing on opens it again.
    await page.keyboard.press('Escape');
    await expect.poll(() => list.count()).toBe(0);
    await box.pressSequentially('b');
    await list.waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => box.inputValue()).toBe('Agreed with @Bob Builder ');
    await expect.poll(() => list.count()).toBe(0);
    await box.pressSequentially('on the view.');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const mention = page.locator('.parley-thread header + div a.parley-mention', { hasText: '@Bob Builder' });
    await mention.waitFor();
    // It points at Bob's latest comment in the discussion (his second, top-level one).
    const href = await mention.getAttribute('href');
    expect(href).toMatch(/^#comment-\d+$/);
    expect(Number(href!.slice('#comment-'.length))).toBeGreaterThan(adas);
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
