import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { startParley, TestClock, type TestParley } from '../support/harness.js';
import { DEMO_ARTICLE, seedDemo } from '../../src/demo/seed.js';
import { messages } from '../../src/messages.js';
import { importWordPress } from '../../src/services/import/wordpress.js';

const comments = (page: Page) => page.locator('.parley-thread > article');
/** Comments with words (deleted ones with answers stay as placeholders, which the count leaves out). */
const readable = (page: Page) => comments(page).filter({ hasNot: page.locator('.parley-deleted') });
const shownIds = (page: Page) => comments(page).evaluateAll((els) => els.map((e) => Number(e.id.replace('comment-', ''))));
const inView = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= window.innerHeight + 1;
  });

/** Selects `phrase` inside the article body the way a reader dragging the mouse would. */
async function selectInArticle(page: Page, phrase: string) {
  await page.evaluate((text) => {
    const body = document.querySelector('.article-body')!;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const nodes: { node: Text; from: number }[] = [];
    let all = '';
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      nodes.push({ node: n, from: all.length });
      all += n.data;
    }
    const at = all.indexOf(text);
    if (at < 0) throw new Error(`not in the article: ${text}`);
    const locate = (i: number) => {
      const hit = nodes.filter((x) => x.from <= i).at(-1)!;
      return [hit.node, i - hit.from] as const;
    };
    const r = document.createRange();
    r.setStart(...locate(at));
    r.setEnd(...locate(at + text.length));
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(r);
  }, phrase);
}

/**
 * Issue 15 in a real browser, on the demo discussion `parley demo` seeds: every comment with and
 * without JavaScript, `Reply to` links, one's own new comment, the passage in view, deleted replies.
 */
describe('the whole discussion in a browser (issue 15)', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;
  let articleId: number;
  let total: number;
  const url = () => `${base}/articles/${DEMO_ARTICLE}`;

  async function context(options: Parameters<Browser['newContext']>[0] & { as?: string } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
    const { as, ...rest } = options;
    const ctx = await browser.newContext(rest);
    if (as) {
      const { cookie } = await p.signIn(as);
      await ctx.addCookies([{ name: 'parley_session', value: cookie.split('=')[1]!, url: base, httpOnly: true, sameSite: 'Lax' }]);
    }
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    return { ctx, page };
  }

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base, CONTENT_DIR: 'content' }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    await seedDemo(p);
    const article = (await p.store.articles.bySlug(DEMO_ARTICLE))!;
    articleId = article.id;
    total = article.commentCount;
    await p.accounts.grant('ada@example.com', null);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it('View all comments shows every comment of the seed-sized thread, with JavaScript and without', { timeout: 90_000 }, async () => {
    const figures: string[] = [];

    // With JavaScript: the link loads the whole discussion in place.
    const { ctx, page } = await context();
    const problems = watchConsole(page);
    await page.goto(url());
    await page.locator('#parley-root').waitFor();
    const firstJs = await readable(page).count();
    const path = new URL(page.url()).pathname;
    await page.getByRole('link', { name: 'View all comments' }).click();
    await expect.poll(() => readable(page).count()).toBe(total);
    // In place: the page did not change address and nothing was shown twice.
    expect(new URL(page.url()).pathname).toBe(path);
    expect(new URL(page.url()).search).toBe('');
    expect(new Set(await shownIds(page)).size).toBe(await comments(page).count());
    const placeholders = (await comments(page).count()) - total;
    expect(await page.getByRole('button', { name: /^Show \d+ more repl/ }).count()).toBe(0);
    await expectAccessible(page, 'every comment, with JavaScript');
    expect(problems).toEqual([]);
    figures.push(
      `with JavaScript: ${firstJs} at first, ${total} after View all comments (of ${total}; ${placeholders} deleted placeholder(s) above replies besides)`,
    );
    expect(firstJs).toBeLessThan(total);
    await ctx.close();

    // Without JavaScript: the same link is a server-rendered page of whole threads.
    const { ctx: plainCtx, page: plain } = await context({ javaScriptEnabled: false });
    await plain.goto(url());
    const firstPlain = await readable(plain).count();
    await plain.getByRole('link', { name: 'View all comments' }).click();
    await plain.waitForURL(/all=1/);
    const readableIds = (page: Page) => readable(page).evaluateAll((els) => els.map((e) => Number(e.id.replace('comment-', ''))));
    const onFirst = (await readableIds(plain)).length;
    const seen = new Set(await readableIds(plain));
    // Further pages of whole threads, if the thread has more than a page holds.
    while (await plain.getByRole('link', { name: 'Load more' }).count()) {
      await plain.getByRole('link', { name: 'Load more' }).click();
      for (const id of await readableIds(plain)) seen.add(id);
    }
    expect(seen.size).toBe(total);
    // The seed-sized thread fits one page of whole threads.
    expect(onFirst).toBe(total);
    figures.push(`without JavaScript: ${firstPlain} at first, ${seen.size} after View all comments (of ${total})`);
    expect(firstPlain).toBe(firstJs);

    // Opening threads one by one without JavaScript adds up: each link keeps the others open.
    await plain.goto(url());
    let shown = await readable(plain).count();
    let clicks = 0;
    for (let more = plain.getByRole('link', { name: /^Show \d+ more repl/ }); (await more.count()) > 0 && clicks < 30; clicks++) {
      const waiting = Number(/Show (\d+)/.exec((await more.first().textContent())!)![1]);
      await more.first().click();
      const now = await readable(plain).count();
      expect(now).toBe(shown + waiting);
      shown = now;
    }
    expect(clicks).toBeGreaterThan(0);
    // Every thread of the page is now open: all their comments are shown.
    const roots = new Set(
      await plain.locator('.parley-thread > article:not([class*="indent-"])').evaluateAll((els) => els.map((e) => Number(e.id.replace('comment-', '')))),
    );
    const whole = (await p.discussions.page(articleId, 'top', undefined, null, true)).threads.filter((t) => roots.has(t.comment.id));
    expect(whole).toHaveLength(roots.size);
    expect(shown).toBe(whole.reduce((n, t) => n + [t.comment, ...t.replies].filter((c) => c.status !== 'deleted').length, 0));
    figures.push(`without JavaScript, opening every thread by its 'Show N more replies' link: ${shown} after ${clicks} clicks`);
    const expanded = plain.url();
    await plainCtx.close();
    // axe needs scripts: the same server-rendered pages, checked with them on.
    const { ctx: axeCtx, page: checked } = await context();
    for (const address of [`${url()}?all=1`, expanded]) {
      await checked.goto(address);
      await checked.locator('#parley-root').waitFor();
      await expectAccessible(checked, address);
    }
    await axeCtx.close();
    console.log(`demo thread '${DEMO_ARTICLE}' (${total} comments):\n  ${figures.join('\n  ')}`);
  });

  it('a plain #comment-ID link to a comment the page does not show leads to it without JavaScript', async () => {
    const { ctx, page } = await context({ javaScriptEnabled: false });
    await page.goto(url());
    // No link targets a stand-in: none of them, nor the sentence, is shown.
    expect(await page.locator('.parley-targets').isVisible()).toBe(false);
    const onPage = new Set(await shownIds(page));
    const hidden = (await p.discussions.page(articleId, 'top', undefined, null, true)).threads
      .flatMap((t) => t.replies.map((r) => r.id))
      .find((id) => !onPage.has(id))!;
    expect(hidden).toBeTruthy();
    await page.goto(`${url()}#comment-${hidden}`);
    const standIn = page.locator(`.parley-targets #comment-${hidden}`);
    expect(await standIn.isVisible()).toBe(true);
    expect(await page.locator('.parley-targets > a:visible').count()).toBe(1);
    // Shown: the sentence that says why, and the one link.
    expect((await page.locator('.parley-targets').innerText()).trim()).toBe(`${messages.pages.linkedElsewhere} ${messages.pages.showLinked}`);
    await standIn.click();
    await page.locator(`article#comment-${hidden}`).waitFor();
    expect(await page.locator(`article#comment-${hidden}`).evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await ctx.close();

    // With JavaScript there are no stand-ins: the widget fetches the thread and marks the comment.
    const { ctx: js, page: live } = await context();
    await live.goto(`${url()}#comment-${hidden}`);
    await expect.poll(() => live.locator(`article#comment-${hidden}`).evaluate((el) => el.classList.contains('parley-highlight'))).toBe(true);
    expect(await live.locator('.parley-targets').count()).toBe(0);
    expect(await live.locator(`#comment-${hidden}`).count()).toBe(1);
    await js.close();
  });

  it('Reply to <name> links to the comment answered, which is scrolled to and marked, by keyboard too', async () => {
    const { ctx, page } = await context();
    await page.goto(`${url()}?sort=oldest`);
    await page.locator('#parley-root').waitFor();
    // A reply shown well below the comment it answers.
    const links = page.getByRole('link', { name: /^Reply to / });
    expect(await links.count()).toBeGreaterThan(3);
    const link = links.last();
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^#comment-\d+$/);
    const parentId = Number(href.slice('#comment-'.length));
    const reply = await link.evaluate((el) => Number(el.closest('article')!.id.replace('comment-', '')));
    expect((await p.store.comments.byId(reply))!.parentId).toBe(parentId);
    await link.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 400));
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`#comment-${parentId}`).evaluate((el) => el.classList.contains('parley-highlight'))).toBe(true);
    await expect.poll(() => inView(page, `#comment-${parentId}`)).toBe(true);
    await expectAccessible(page, 'Reply to links');
    await ctx.close();

    const { ctx: plainCtx, page: plain } = await context({ javaScriptEnabled: false });
    await plain.goto(`${url()}?sort=oldest`);
    await plain.locator(`header > a[href="${href}"]`).first().click();
    expect(await plain.locator(`#comment-${parentId}`).evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await plainCtx.close();
  });

  it('passage comments name their passage in the lists, and the passage being commented on stays in view', async () => {
    const passageIds = (await p.discussions.passages(articleId, null)).map((c) => c.id);
    expect(passageIds.length).toBeGreaterThanOrEqual(3);
    for (const js of [true, false]) {
      const { ctx, page } = await context({ javaScriptEnabled: js });
      await page.goto(`${url()}?sort=oldest`);
      for (const id of passageIds) {
        const ref = page.locator(`#comment-${id} .parley-passage-ref q`);
        const exact = (await p.store.comments.byId(id))!;
        expect((await ref.textContent())!.length).toBeGreaterThan(10);
        expect(JSON.stringify(exact.anchor)).toContain((await ref.textContent())!.slice(0, 20));
      }
      await ctx.close();
    }

    const { ctx, page } = await context({ as: 'ada@example.com', viewport: { width: 1000, height: 700 } });
    await page.goto(url());
    await page.getByLabel('Write a comment').waitFor();
    const phrase = 'None of these costs is imaginary';
    const paragraph = page.locator('.article-body p', { hasText: phrase });
    await paragraph.click({ position: { x: 2, y: 4 } });
    await selectInArticle(page, phrase);
    await page.getByRole('button', { name: 'Comment on this passage', exact: true }).click();
    await expect.poll(() => page.locator('.parley-about blockquote').textContent()).toBe(phrase);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('parley-new');
    // The box is brought into view for typing, and the passage it is about with it.
    await expect.poll(() => inView(page, '.parley-about blockquote')).toBe(true);
    const rects = await page.evaluate(() =>
      ['#parley-new', '.parley-about blockquote'].map((q) => {
        const r = document.querySelector(q)!.getBoundingClientRect();
        return [q, Math.round(r.top), Math.round(r.bottom), window.innerHeight];
      }),
    );
    expect(await inView(page, '#parley-new'), JSON.stringify(rects)).toBe(true);
    await expectAccessible(page, 'commenting on a passage');
    await ctx.close();
  });

  it('does not announce the reader’s own new comment as new, even when its live event beats the answer', async () => {
    const { ctx, page } = await context({ as: 'ada@example.com' });
    const problems = watchConsole(page);
    // Hold the post's answer back until the live event has surely arrived.
    let events = 0;
    await page.route('**/api/v1/articles/*/comments', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, 1200));
      await route.fulfill({ response });
    });
    page.on('response', (r) => {
      if (r.url().includes('/events')) events++;
    });
    await page.goto(url());
    await page.getByLabel('Write a comment').waitFor();
    await expect.poll(() => events).toBeGreaterThan(0);
    for (const words of ['My own words, first try.', 'My own words, second try.']) {
      await page.getByLabel('Write a comment').fill(words);
      await page.getByRole('button', { name: 'Post', exact: true }).click();
      const mine = comments(page).filter({ hasText: words });
      await mine.waitFor();
      await expect.poll(() => page.getByLabel('Write a comment').inputValue()).toBe('');
      expect(await page.getByRole('button', { name: /new comment/ }).count()).toBe(0);
      // Shown once, first (Most Voted keeps a reader's own new comment at the top, as on posting).
      expect(await mine.count()).toBe(1);
      expect((await shownIds(page))[0]).toBe(Number((await mine.getAttribute('id'))!.replace('comment-', '')));
    }
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('Notify of says which choices are account-wide, works without JavaScript, and /account holds those settings', async () => {
    // With JavaScript: the widget's control says which two boxes are the account's.
    const { ctx, page } = await context({ as: 'ada@example.com' });
    await page.goto(url());
    await page.locator('.parley-notify summary').click();
    const note = page.locator('.parley-notify .parley-hint');
    await note.waitFor();
    expect(await note.textContent()).toContain('apply to every article');
    expect(await note.getByRole('link').getAttribute('href')).toBe('/account#notifications');
    await expectAccessible(page, 'Notify of, opened');

    // /account: the settings as a plain form.
    await page.goto(`${base}/account#notifications`);
    const section = page.getByRole('region', { name: 'Notification settings' });
    await section.waitFor();
    await section.getByLabel('one daily digest').check();
    await section.getByRole('button', { name: 'Save notification settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Notification settings saved.' }).waitFor();
    expect(await page.getByRole('region', { name: 'Notification settings' }).getByLabel('one daily digest').isChecked()).toBe(true);
    await expectAccessible(page, '/account with notification settings');
    const ada = await p.accounts.actorFor((await p.store.users.byEmail('ada@example.com'))!);
    expect((await p.notifications.state(ada, articleId))!.digest).toBe('daily');
    await ctx.close();

    // Without JavaScript: the article page has the form, for a reader and for a guest.
    const { ctx: plainCtx, page: plain } = await context({ as: 'ada@example.com', javaScriptEnabled: false });
    await plain.goto(url());
    const notify = plain.locator('form.notify-form');
    expect(await notify.getByRole('group', { name: 'Notify of' }).count()).toBe(1);
    expect(await notify.getByLabel('one daily email instead of one per comment').isChecked()).toBe(true);
    await notify.getByLabel('new comments on this article').check();
    await notify.getByRole('button', { name: 'Save' }).click();
    await plain.getByRole('heading', { name: 'Notification settings saved' }).waitFor();
    expect((await p.notifications.state(ada, articleId))!.article).toBe(true);
    await plainCtx.close();

    const { ctx: guestCtx, page: guest } = await context({ javaScriptEnabled: false });
    await guest.goto(url());
    await guest.getByLabel('Email me new comments (guest)').fill('night.owl@example.com');
    await guest.getByRole('button', { name: 'Notify me' }).click();
    await guest.getByText('Check night.owl@example.com').waitFor();
    expect((await p.store.notifications.followOf(articleId, 'night.owl@example.com'))?.confirmed).toBe(false);
    await guestCtx.close();
  });

  it('leaves out deleted replies with nothing beneath them, keeping a placeholder above an answer', async () => {
    const ada = await p.accounts.actorFor((await p.store.users.byEmail('ada@example.com'))!);
    const root = (await p.discussions.page(articleId, 'newest', undefined, null)).threads.at(-1)!.comment.id;
    const alone = (await p.discussions.post(ada, articleId, 'Said, then taken back.', root)).comment.id;
    const above = (await p.discussions.post(ada, articleId, 'Said, answered, then taken back.', root)).comment.id;
    const answer = (await p.discussions.post(ada, articleId, 'An answer that keeps its place.', above)).comment.id;
    await p.discussions.remove(ada, alone);
    await p.discussions.remove(ada, above);
    for (const js of [true, false]) {
      const { ctx, page } = await context({ javaScriptEnabled: js });
      await page.goto(`${url()}?comment=${answer}`);
      await page.locator(`#comment-${answer}`).waitFor();
      expect(await page.locator(`article#comment-${alone}`).count()).toBe(0);
      expect(await page.locator(`#comment-${above}`).textContent()).toContain('This comment was deleted');
      if (js) await expectAccessible(page, 'a thread with deleted replies');
      await ctx.close();
    }
  });
});

/** Issue 15: an imported edit keeps its editor, as `Last edited … by <name>` on the original page. */
describe('imported edits in a browser (issue 15)', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    await importWordPress(p.store.db, 'tests/fixtures/import/wordpress.xml', { now: p.clock.now() });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it('shows who made an imported edit, with JavaScript and without', async () => {
    const article = (await p.store.articles.bySlug('bridges-we-regret'))!;
    const edited = (await p.discussions.page(article.id, 'oldest', undefined, null, true)).threads
      .flatMap((t) => [t.comment, ...t.replies])
      .filter((c) => c.editedAt !== null);
    expect(edited.length).toBeGreaterThan(0);
    for (const js of [true, false]) {
      const ctx = await browser.newContext({ javaScriptEnabled: js });
      const page = await ctx.newPage();
      await page.goto(`${base}/articles/bridges-we-regret?sort=oldest`);
      for (const c of edited) {
        const line = page.locator(`#comment-${c.id} .parley-edited`);
        expect(await line.textContent()).toMatch(new RegExp(`^Last edited .+ ago by ${c.author!.name}$`));
      }
      if (js) await expectAccessible(page, 'an imported discussion');
      await ctx.close();
    }
  });
});
