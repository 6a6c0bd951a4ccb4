import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { startParley, TestClock, type TestParley } from '../support/harness.js';
import { DEMO_ARTICLE, seedDemo } from '../../src/demo/seed.js';

/** Issue 15's reader-facing defects, each seen in a real browser. */
describe('reader polish (issue 15)', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;
  let articleId: number;
  const TZ = 'America/New_York';

  async function signedIn(email: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ ctx: BrowserContext; page: Page }> {
    const { cookie } = await p.signIn(email);
    const ctx = await browser.newContext(options);
    await ctx.addCookies([{ name: 'parley_session', value: cookie.split('=')[1]!, url: base, httpOnly: true, sameSite: 'Lax' }]);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    return { ctx, page };
  }
  const actor = async (email: string, name: string) => p.accounts.actorFor(await p.store.users.ensure(email, name, new Date()));

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base, PUBLICATION_TIMEZONE: TZ }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    await p.accounts.grant('ada@example.com', null);
    await p.accounts.grant('bob@example.com', null);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it('marks a deep-linked comment, with and without JavaScript', async () => {
    const bob = await actor('bob@example.com', 'Bob Builder');
    const linked = (await p.discussions.post(bob, articleId, 'The comment a link points at.', null)).comment.id;
    await p.discussions.post(bob, articleId, 'Another comment, not linked.', null);
    const outline = (page: Page, id: number) => page.locator(`#comment-${id}`).evaluate((el) => getComputedStyle(el).outlineStyle);

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const problems = watchConsole(page);
    await page.goto(`${base}/articles/open-thread?comment=${linked}#comment-${linked}`);
    await expect.poll(() => page.locator(`#comment-${linked}`).evaluate((el) => el.classList.contains('parley-highlight'))).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`comment-${linked}`);
    // Focused (the widget moves focus there) and still marked: the highlight outranks `:focus { outline: none }`.
    expect(await outline(page, linked)).toBe('solid');
    await expectAccessible(page, 'a deep-linked comment');
    expect(problems).toEqual([]);
    await ctx.close();

    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(`${base}/articles/open-thread?comment=${linked}#comment-${linked}`);
    expect(await outline(plain, linked)).toBe('solid');
    await noJs.close();
  });

  it('shows a subscriber only that they are one on /subscribe', async () => {
    const { ctx, page } = await signedIn('ada@example.com');
    await page.goto(`${base}/subscribe?return=/articles/open-thread`);
    expect(await page.getByRole('status').textContent()).toBe('You are a subscriber.');
    expect(await page.getByText('Become a subscriber').count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your subscription');
    expect(await page.title()).toBe('Your subscription');
    await ctx.close();

    const { ctx: other, page: reader } = await signedIn('gus@example.com');
    await reader.goto(`${base}/subscribe?return=/articles/open-thread`);
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe('Become a subscriber');
    expect(await reader.getByText('You are a subscriber.').count()).toBe(0);
    await other.close();
  });

  it('fits the sort tabs and the dashboard header on a 360 px phone', async () => {
    await p.moderation.setRoleByEmail('mia@example.com', 'admin', 'Mia');
    const { ctx, page } = await signedIn('mia@example.com', { viewport: { width: 360, height: 740 } });
    // Items of one row share a middle line (links and a button differ in height, so their tops may not).
    const tops = (sel: string) =>
      page.locator(sel).evaluateAll((els) => els.map((e) => Math.round((e.getBoundingClientRect().top + e.getBoundingClientRect().bottom) / 2)));
    const heights = (sel: string) => page.locator(sel).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

    await page.goto(`${base}/articles/open-thread`);
    await page.locator('.parley-sorts').waitFor();
    // Most Voted, Newest, Oldest, Featured and Inline Feedbacks.
    expect(await page.locator('.parley-sorts a').count()).toBe(5);
    expect(new Set(await tops('.parley-sorts a')).size).toBe(1);
    // One line each: no label broken over two lines.
    const line = await page
      .locator('.parley-sorts a')
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 24);
    for (const h of await heights('.parley-sorts a')) expect(h).toBeLessThan(line * 1.5 + 12);
    expect(await overflow()).toBeLessThanOrEqual(0);

    await page.goto(`${base}/admin`);
    await page.getByRole('heading', { name: 'Moderation', level: 1 }).waitFor();
    expect(new Set(await tops('.site-header .signout > a, .site-header .signout > button')).size).toBe(1);
    expect(new Set(await tops('.queue-tabs a')).size).toBe(1);
    expect(new Set(await tops('.admin-nav a')).size).toBe(1);
    const signOut = page.getByRole('button', { name: 'Sign out' });
    const one = await signOut.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect((await signOut.boundingBox())!.height).toBeLessThan(one * 1.5);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'dashboard on a phone');
    await ctx.close();
  });

  it('leaves out a deleted comment nobody answered, and keeps the placeholder of one with replies', async () => {
    const members = (await p.store.articles.bySlug('members-thread'))!.id;
    const bob = await actor('bob@example.com', 'Bob Builder');
    const ada = await actor('ada@example.com', 'Ada');
    await p.discussions.post(ada, members, 'A comment that stays.', null);
    const alone = (await p.discussions.post(bob, members, 'Said, then taken back.', null)).comment.id;
    const answered = (await p.discussions.post(bob, members, 'Said, answered, then taken back.', null)).comment.id;
    const answer = (await p.discussions.post(ada, members, 'An answer that keeps its place.', answered)).comment.id;
    // A thread whose only reply went too: nothing in it is left to read.
    const emptied = (await p.discussions.post(bob, members, 'A thread emptied out.', null)).comment.id;
    const gone = (await p.discussions.post(ada, members, 'A reply deleted too.', emptied)).comment.id;
    await p.discussions.remove(ada, gone);
    for (const id of [alone, answered, emptied]) await p.discussions.remove(bob, id);
    const count = (await p.store.articles.byId(members))!.commentCount;
    expect(count).toBe(2);

    for (const js of [true, false]) {
      const ctx = await browser.newContext({ javaScriptEnabled: js });
      const page = await ctx.newPage();
      for (const sort of ['newest', 'top', 'oldest']) {
        await page.goto(`${base}/articles/members-thread?sort=${sort}`);
        await page.locator(`#comment-${answer}`).waitFor();
        expect(await page.locator(`#comment-${alone}`).count()).toBe(0);
        expect(await page.locator(`#comment-${emptied}`).count()).toBe(0);
        expect(await page.locator(`#comment-${answered}`).textContent()).toContain('This comment was deleted');
        expect(await page.locator('.parley-thread > article').count()).toBe(3);
        expect(await page.getByRole('heading', { name: `${count} Comments` }).count()).toBe(1);
      }
      if (js) await expectAccessible(page, 'a discussion with deleted comments');
      await ctx.close();
    }
  });

  it("gives exact times in the publication's time zone, before and after the widget starts", async () => {
    const bob = await actor('bob@example.com', 'Bob Builder');
    const posted = (await p.discussions.post(bob, articleId, 'What time is it?', null)).comment;
    const at = new Date(posted.createdAt);
    const expected = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'long', timeZone: TZ }).format(at);
    expect(expected).toMatch(/GMT-[45]$/);
    const title = (page: Page) => page.locator(`#comment-${posted.id} header time`).getAttribute('title');

    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(`${base}/articles/open-thread?sort=newest`);
    expect(await title(plain)).toBe(expected);
    await noJs.close();

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/articles/open-thread?sort=oldest`);
    await page.getByRole('link', { name: 'Newest' }).click();
    await expect.poll(() => title(page)).toBe(expected);
    await ctx.close();
  });
});

/** The demo publication, as `parley demo` seeds it: passage comments and the author's badge. */
describe('the demo discussion (issue 15)', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base, CONTENT_DIR: 'content' }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    await seedDemo(p);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it("fills Inline Feedbacks with passage comments and badges the article's author, not her namesake", async () => {
    const article = (await p.store.articles.bySlug(DEMO_ARTICLE))!;
    const helena = (await p.store.users.byEmail('helena.varga@example.com'))!;
    const namesake = await p.store.users.ensure('not.helena@example.com', 'Helena Varga', new Date());
    await p.accounts.grant('not.helena@example.com', null);
    const fake = (await p.discussions.post(await p.accounts.actorFor(namesake), article.id, 'I wrote this, honestly.', null)).comment.id;
    const authorBadge = (page: Page, id: number) => page.locator(`#comment-${id} header .parley-badge`, { hasText: 'Author' }).count();

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    const problems = watchConsole(page);
    await page.goto(`${base}/articles/${DEMO_ARTICLE}?sort=newest`);
    // Server-rendered, then drawn again by the widget on a change of sort.
    expect(await authorBadge(page, fake)).toBe(0);
    await page.getByRole('link', { name: 'Oldest' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Oldest' }).getAttribute('aria-current')).toBe('true');
    const hers = page.locator('.parley-thread > article').filter({ has: page.locator('header > b', { hasText: /^Helena Varga$/ }) });
    await hers.first().waitFor();
    const ids = await hers.evaluateAll((els) => els.map((e) => Number(e.id.replace('comment-', ''))));
    const byHer = ids.filter((id) => id !== fake);
    expect(byHer.length).toBeGreaterThan(0);
    for (const id of byHer) expect(await authorBadge(page, id)).toBe(1);
    expect(await authorBadge(page, fake)).toBe(0);
    for (const id of byHer) expect((await p.store.comments.byId(id))!.authorId).toBe(helena.id);

    await page.getByRole('link', { name: 'Inline Feedbacks' }).click();
    const inline = page.locator('#parley-inline');
    await inline.waitFor();
    expect(await inline.locator('.parley-passage-quote').count()).toBe(3);
    expect(await inline.textContent()).toContain('a hotel that moves at ninety kilometres an hour and fills only once a day');
    // Each passage is marked in the article too.
    expect(await page.locator('.article-body .parley-passage').count()).toBeGreaterThanOrEqual(3);
    await expectAccessible(page, 'demo Inline Feedbacks');
    expect(problems).toEqual([]);
    await ctx.close();

    // Without JavaScript the badge is in the markup.
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(`${base}/articles/${DEMO_ARTICLE}?sort=oldest`);
    expect(await authorBadge(plain, byHer[0]!)).toBe(1);
    await noJs.close();
  });
});
