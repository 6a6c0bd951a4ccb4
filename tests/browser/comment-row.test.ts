import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/services/accounts.js';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { TestClock, startParley, type TestParley } from '../support/harness.js';
import { freePort } from '../support/process.js';

/** Screenshots of the row at each width and scheme, for a person to look at (.tmp/ is not committed). */
const SHOTS = join('.tmp', 'screenshots', 'comment-row');

describe('the calm comment row (issue 16) in a real browser', () => {
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
      ['bob@example.com', 'Bartholomew Fitzgerald-Worthington'],
    ] as const) {
      const user = await p.store.users.ensure(email, name, new Date());
      await p.accounts.grant(email, null);
      await p.store.users.createSession(hashToken(`${email}-session`), user.id, `${email}-csrf`, new Date(), new Date(Date.now() + 3600_000));
    }
    const actor = async (email: string) => p.accounts.actorFor((await p.store.users.byEmail(email))!);
    bobs = (await p.discussions.post(await actor('bob@example.com'), article.id, 'A sleeper is a hotel that moves. Quote me.', null)).comment.id;
    p.clock.advance(60_000);
    adas = (await p.discussions.post(await actor('ada@example.com'), article.id, 'A reply of mine, deep in the thread.', bobs)).comment.id;
    // Deep enough to be indented as far as the page goes: the row must still fit a phone.
    let parent = adas;
    for (let i = 0; i < 4; i++) {
      p.clock.advance(60_000);
      const who = i % 2 ? 'ada@example.com' : 'bob@example.com';
      parent = (await p.discussions.post(await actor(who), article.id, `Level ${i + 2} of the thread.`, parent)).comment.id;
    }
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  async function open(ctx: BrowserContext, url = `${base}/articles/open-thread?sort=oldest`): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(url);
    return page;
  }
  const signedIn = async (email: string, opts: Parameters<Browser['newContext']>[0] = {}) => {
    const ctx = await browser.newContext(opts);
    await ctx.addCookies([{ name: 'parley_session', value: `${email}-session`, url: base }]);
    return ctx;
  };
  /** The row's controls arrive with the script: wait for the vote control to become a group. */
  const ready = (page: Page) => page.locator(`#comment-${bobs} .parley-votes[role="group"]`).waitFor();
  /** A comment's row: its <footer>. */
  const row = (page: Page, id: number) => page.locator(`#comment-${id} footer`);

  /** Every control of a row on one line, and the page no wider than the screen. */
  async function expectCalm(page: Page, id: number) {
    // On one line: every control's box overlaps every other's vertically.
    const boxes = await row(page, id).evaluate((el) => [...el.children].map((c) => c.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...boxes.map((b) => b.top)), `controls of comment ${id} on one line`).toBeLessThan(Math.min(...boxes.map((b) => b.bottom)));
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  }

  for (const width of [1280, 360]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`fits one line at ${width} px in ${scheme}, its menu stays on screen, and axe finds nothing`, async () => {
        const ctx = await signedIn('ada@example.com', { viewport: { width, height: 900 } });
        const page = await ctx.newPage();
        page.setDefaultTimeout(10_000);
        await page.emulateMedia({ colorScheme: scheme });
        const problems = watchConsole(page);
        await page.goto(`${base}/articles/open-thread?sort=oldest`);
        await ready(page);
        const deepest = Number((await page.locator('.parley-thread > article').last().getAttribute('id'))!.slice('comment-'.length));
        for (const id of [bobs, adas, deepest]) await expectCalm(page, id);
        // The menu of the most indented comment opens inside the screen.
        const deep = page.locator(`#comment-${deepest}`);
        await deep.getByLabel('More actions').click();
        const menu = deep.locator('.parley-menu');
        await menu.waitFor();
        const box = (await menu.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        const shot = join(SHOTS, `row-${width}-${scheme}.png`);
        await page.locator(`#comment-${bobs}`).scrollIntoViewIfNeeded();
        await page.screenshot({ path: shot });
        expect(statSync(shot).size).toBeGreaterThan(1000);
        await expectAccessible(page, `comment row at ${width} px, ${scheme}, menu open`);
        expect(problems).toEqual([]);
        await ctx.close();
      });
    }
  }

  it('votes with one control: pressed state, net score, and no vote on your own comment', async () => {
    const ctx = await signedIn('ada@example.com');
    const page = await open(ctx);
    await ready(page);
    const bob = page.locator(`#comment-${bobs}`);
    const up = bob.getByRole('button', { name: 'Up vote' });
    const down = bob.getByRole('button', { name: 'Down vote' });
    const score = bob.locator('.parley-score');
    expect(await bob.getByRole('group', { name: 'Votes' }).count()).toBe(1);
    await up.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    expect(await score.textContent()).toBe('1');
    await down.click();
    await expect.poll(() => down.getAttribute('aria-pressed')).toBe('true');
    expect(await up.getAttribute('aria-pressed')).toBe('false');
    expect(await score.textContent()).toBe('-1');
    await down.click();
    await expect.poll(() => score.textContent()).toBe('0');
    const own = page.locator(`#comment-${adas}`).getByRole('button', { name: 'Up vote' });
    expect(await own.getAttribute('aria-disabled')).toBe('true');
    expect(await own.getAttribute('title')).toBe('You cannot vote on your own comment.');
    await ctx.close();
  });

  it('keeps Reply in view and the rest in a menu that works from the keyboard', async () => {
    const ctx = await signedIn('ada@example.com');
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await open(ctx);
    await ready(page);
    const bob = page.locator(`#comment-${bobs}`);
    expect(await bob.getByRole('button', { name: 'Reply' }).isVisible()).toBe(true);
    const more = bob.getByLabel('More actions');
    const items = bob.locator('.parley-menu button');
    // Closed, its items are out of sight; Enter opens it, the arrows walk it, Escape closes it and hands focus back.
    expect(await items.first().isVisible()).toBe(false);
    await more.focus();
    await page.keyboard.press('Enter');
    const labels = await items.allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['Quote', 'Report', 'Copy link']));
    expect(labels).not.toContain('Edit');
    expect(labels).not.toContain('Delete');
    expect(labels[0]).toBe('Quote');
    expect(labels.at(-1)).toBe('Copy link');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Quote');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Copy link');
    await page.keyboard.press('Escape');
    expect(await items.first().isVisible()).toBe(false);
    expect(await more.evaluate((el) => el === document.activeElement)).toBe(true);

    // Copy link puts the comment's permalink on the clipboard and says so.
    await page.keyboard.press('Enter');
    await bob.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${base}/articles/open-thread?comment=${bobs}#comment-${bobs}`);
    await expect.poll(() => page.locator('#comments [role="status"]').textContent()).toBe('Link to the comment copied.');
    expect(await more.evaluate((el) => el === document.activeElement)).toBe(true);

    // Quote opens a reply with the comment quoted.
    await more.click();
    await bob.getByRole('button', { name: 'Quote' }).click();
    await expect.poll(() => page.getByLabel('Your reply to Bartholomew Fitzgerald-Worthington').inputValue()).toContain('> A sleeper is a hotel that moves.');

    // On their own comment: Edit and Delete, no Report; Delete asks first, and Keep it goes back to the menu.
    const mine = page.locator(`#comment-${adas}`);
    await mine.getByLabel('More actions').click();
    const own = await mine.locator('.parley-menu button').allTextContents();
    expect(own).toEqual(expect.arrayContaining(['Quote', 'Edit', 'Delete', 'Copy link']));
    expect(own).not.toContain('Report');
    await mine.getByRole('button', { name: 'Delete' }).click();
    const confirm = mine.getByRole('group', { name: 'Delete this comment? Its replies stay.' });
    await confirm.waitFor();
    expect(await confirm.getByRole('button', { name: 'Keep it' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page, 'delete confirmation');
    await page.keyboard.press('Enter');
    await expect.poll(() => mine.getByLabel('More actions').evaluate((el) => el === document.activeElement)).toBe(true);
    await mine.getByLabel('More actions').click();
    await mine.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Yes, delete' }).click();
    await mine.getByText('This comment was deleted').waitFor();
    await expect.poll(() => page.locator('#comments [role="status"]').textContent()).toBe('The comment was deleted.');
    await ctx.close();
  });

  it('without JavaScript shows the score drawn as the vote control, and the time links to the comment, by keyboard too', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await open(ctx);
    const bobRow = row(page, bobs);
    expect(await bobRow.textContent()).toBe('0');
    expect(await page.locator(`#comment-${bobs} :is(button, details)`).count()).toBe(0);
    // The score sits in the vote control's pill, between the arrows its buttons will draw.
    const pill = await bobRow.evaluate((el) => {
      const s = getComputedStyle(el);
      return { display: s.display, border: s.borderTopStyle, before: getComputedStyle(el, '::before').content, after: getComputedStyle(el, '::after').content };
    });
    expect(pill).toEqual({ display: 'inline-flex', border: 'solid', before: '"▲" / ""', after: '"▼" / ""' });
    // The permalink is the time, named by what it says.
    const time = page.locator(`#comment-${bobs} time`);
    const link = page.locator(`#comment-${bobs}`).getByRole('link', { name: (await time.textContent())!, exact: true });
    expect(await link.getAttribute('href')).toBe(`?comment=${bobs}#comment-${bobs}`);
    expect(await link.evaluate((el, t) => el.contains(t), await time.elementHandle())).toBe(true);
    // By keyboard: from the comment the page was opened at, Tab reaches the link.
    await page.goto(`${base}/articles/open-thread?sort=oldest#comment-${bobs}`);
    await page.keyboard.press('Tab');
    expect(await link.evaluate((el) => el === document.activeElement)).toBe(true);
    await ctx.close();

    // axe runs as a script: the same markup, with the widget's script held back instead.
    const blocked = await browser.newContext();
    await blocked.route(
      (url) => url.pathname.startsWith('/static/widget'),
      (route) => route.abort(),
    );
    const before = await open(blocked);
    await row(before, bobs).waitFor();
    await expectAccessible(before, 'comment row before the script');
    await blocked.close();
  });

  it('shows "Notify of" as one line that opens to its options', async () => {
    const ctx = await signedIn('bob@example.com', { viewport: { width: 360, height: 800 } });
    const page = await open(ctx);
    const notify = page.locator('details.parley-notify');
    const summary = notify.locator('summary');
    await summary.waitFor();
    expect((await summary.boundingBox())!.height).toBeLessThan(40);
    const replies = page.getByRole('checkbox', { name: 'new replies to my comments' });
    expect(await replies.isVisible()).toBe(false);
    await summary.focus();
    await page.keyboard.press('Enter');
    await replies.waitFor();
    const before = await replies.isChecked();
    await replies.click();
    await expect.poll(() => replies.isChecked()).toBe(!before);
    await expectAccessible(page, 'notify options open');

    // A guest gets the same line, opening to the email form.
    const guest = await browser.newContext();
    const guestPage = await open(guest);
    const problems = watchConsole(guestPage);
    await guestPage.locator('details.parley-notify summary').click();
    expect(await guestPage.getByLabel('Email me new comments (guest)').isVisible()).toBe(true);
    // The join block is the server's markup, kept by the running widget (JoinBlock.browser.tsx).
    expect(await guestPage.locator('.parley-join').getByRole('link', { name: 'Subscribe' }).isVisible()).toBe(true);
    await guestPage.goto(`${base}/articles/closed-thread`);
    await guestPage.locator('details.parley-notify summary').waitFor();
    expect(await guestPage.locator('#comments .parley-notice').textContent()).toBe('Comments are closed.');
    expect(problems).toEqual([]);
    await guest.close();
    await ctx.close();
  });
});
