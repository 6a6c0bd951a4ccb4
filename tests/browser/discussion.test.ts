import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hashToken } from '../../src/services/accounts.js';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { startParley, TestClock, type TestParley } from '../support/harness.js';
import { SmtpSink, signInLink } from '../support/smtp-sink.js';

describe('the discussion in a real browser', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;
  const sink = new SmtpSink();
  let bobsComment: number;

  beforeAll(async () => {
    const smtp = await sink.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { SMTP_URL: smtp, BASE_URL: base }, { clock: new TestClock(Date.now()) });
    await p.app.listen({ port, host: '127.0.0.1' });
    const bob = await p.store.users.ensure('bob@example.com', 'Bob Builder', new Date());
    await p.accounts.grant('ada@example.com', null);
    await p.accounts.grant('bob@example.com', null);
    const article = (await p.store.articles.bySlug('open-thread'))!;
    bobsComment = (await p.discussions.post(await p.accounts.actorFor(bob), article.id, 'Bob was here first, with **bold** words.', null)).comment.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
    await sink.stop();
  });

  /** Signs in through the real pages and a real mail, as a reader would. */
  async function signIn(page: Page, email: string) {
    page.setDefaultTimeout(10_000);
    const since = sink.mails.length;
    await page.goto(`${base}/articles/open-thread`);
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText(/a link is on its way/).waitFor();
    const link = signInLink(await sink.waitFor(email, since));
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign me in' }).click();
    await page.waitForURL(/\/articles\/open-thread/);
  }

  it('shows guests the discussion and the subscribe block, accessibly, with no script errors', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const problems = watchConsole(page);
    await page.goto(`${base}/articles/open-thread`);
    await expect.poll(() => page.getByRole('heading', { name: /\d+ Comments?/ }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('heading', { name: 'Join the discussion' }).isVisible()).toBe(true);
    expect(await page.locator('.parley-join').getByText('To join the discussion in the comments, become a paid subscriber.').isVisible()).toBe(true);
    expect(await page.locator('.parley-join').getByRole('link', { name: 'Subscribe' }).getAttribute('href')).toContain('/subscribe?return=');
    expect(await page.locator(`#comment-${bobsComment}`).textContent()).toContain('Bob was here first');
    await expectAccessible(page, 'article page as a guest');
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('keeps a signed-in non-subscriber out of posting and voting', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, 'gus@example.com');
    await page.getByRole('heading', { name: 'Join the discussion' }).waitFor();
    expect(await page.getByLabel('Write a comment').count()).toBe(0);
    // Voting opens the subscribe prompt: a modal that traps focus, closes on Escape or Close,
    // and hands focus back. (The server refuses such votes too: see the API tests.)
    const up = page.locator(`#comment-${bobsComment}`).getByRole('button', { name: /Up vote/ });
    await up.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Join the discussion' });
    await dialog.waitFor();
    expect(await dialog.getByRole('link', { name: 'Subscribe' }).isVisible()).toBe(true);
    await expectAccessible(page, 'subscribe dialog');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await up.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.locator(`#comment-${bobsComment}`).getByRole('button', { name: 'Reply' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await ctx.close();
  });

  it('lets a subscriber post, reply, quote, vote and edit without reloading', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const problems = watchConsole(page);
    await signIn(page, 'ada@example.com');
    await page.getByText('Signed in as Ada').first().waitFor();

    await page.getByLabel('Write a comment').fill('A first comment from *Ada* 🎉');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const mine = page.locator('.parley-thread > article', { hasText: 'A first comment from Ada' });
    await mine.waitFor();
    expect(await mine.locator('em').textContent()).toBe('Ada');
    expect(await page.getByRole('heading', { name: '2 Comments' }).count()).toBe(1);

    const bob = page.locator(`#comment-${bobsComment}`);
    // Quote, Report, Edit and Delete are in the comment's "More actions" menu.
    const fromMenu = async (comment: typeof bob, item: string) => {
      await comment.getByLabel('More actions').click();
      await comment.getByRole('button', { name: item }).click();
    };
    await fromMenu(bob, 'Quote');
    const replyBox = page.getByLabel('Your reply to Bob Builder');
    await expect.poll(() => replyBox.inputValue()).toContain('> Bob was here first');
    await replyBox.press('End');
    await replyBox.pressSequentially('\nAgreed, Bob.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    const reply = page.locator('.parley-thread > article', { hasText: 'Agreed, Bob.' });
    await reply.waitFor();
    expect(await reply.textContent()).toContain('Reply to Bob Builder');
    expect(await reply.locator('blockquote').count()).toBe(1);

    const up = bob.getByRole('button', { name: /Up vote/ });
    await up.click();
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    expect(await bob.locator('.parley-score').textContent()).toBe('1');
    await up.click();
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('false');

    await fromMenu(mine, 'Edit');
    const editBox = page.getByLabel('Edit your comment');
    await editBox.fill('An edited comment from Ada');
    await expectAccessible(page, 'article page while editing');
    await page.getByRole('button', { name: 'Save' }).click();
    const edited = page.locator('.parley-thread > article', { hasText: 'An edited comment from Ada' });
    await edited.waitFor();
    expect(await edited.textContent()).toMatch(/Last edited .* by Ada/);

    // Keyboard only: Reply opens a box, Escape closes it and gives focus back to Reply.
    await bob.getByRole('button', { name: 'Reply' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Reply');

    await fromMenu(bob, 'Report');
    await bob.getByRole('radio', { name: 'Spam' }).check();
    await bob.getByRole('button', { name: 'Send report' }).click();
    await bob.getByText('Thank you. The moderators will take a look.').waitFor();

    await page.reload();
    await page.locator('.parley-thread > article', { hasText: 'An edited comment from Ada' }).waitFor();
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it("shows other readers' new comments, edits and votes live", async () => {
    const watcherCtx = await browser.newContext();
    const watcher = await watcherCtx.newPage();
    await watcher.goto(`${base}/articles/open-thread?sort=newest`);
    const top = await watcherCtx.newPage();
    await top.goto(`${base}/articles/open-thread?sort=top`);
    await watcher.waitForTimeout(500);
    const article = (await p.store.articles.bySlug('open-thread'))!;
    const bob = (await p.store.users.byEmail('bob@example.com'))!;
    const actor = await p.accounts.actorFor(bob);
    const posted = await p.discussions.post(actor, article.id, 'Breaking: *live* comment', null);
    // Under Newest it appears at once; under other sorts a button offers it.
    await watcher.locator(`#comment-${posted.comment.id}`).waitFor({ timeout: 10_000 });
    await top.getByRole('button', { name: 'Show 1 new comment' }).waitFor({ timeout: 10_000 });
    await p.discussions.edit(actor, posted.comment.id, 'Breaking: edited live');
    await watcher.locator(`#comment-${posted.comment.id}`, { hasText: 'edited live' }).waitFor({ timeout: 10_000 });
    const ada = await p.accounts.actorFor((await p.store.users.byEmail('ada@example.com'))!);
    await p.discussions.vote(ada, posted.comment.id, 1);
    await expect.poll(() => watcher.locator(`#comment-${posted.comment.id} .parley-score`).textContent(), { timeout: 10_000 }).toContain('1');
    await top.getByRole('button', { name: 'Show 1 new comment' }).click();
    await top.locator(`#comment-${posted.comment.id}`).waitFor();
    // A moderator rejects it: open pages drop it without a reload.
    const mod = await p.store.users.ensure('mod@example.com', 'Mod', new Date());
    await p.store.users.setRole(mod.id, 'moderator');
    await p.store.users.createSession(hashToken('mod-session'), mod.id, 'mod-csrf', new Date(), new Date(Date.now() + 3600_000));
    const rejected = await p.app.inject({
      method: 'POST',
      url: `/api/v1/admin/comments/${posted.comment.id}/reject`,
      headers: { cookie: 'parley_session=mod-session', 'x-csrf-token': 'mod-csrf' },
      payload: { reason: 'test' },
    });
    expect(rejected.statusCode).toBe(200);
    await watcher.locator(`#comment-${posted.comment.id}`).waitFor({ state: 'detached', timeout: 10_000 });
    await watcherCtx.close();
  });

  it('is readable without JavaScript, on a phone, in dark mode', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(`${base}/articles/open-thread?sort=oldest`);
    expect(await page.locator(`#comment-${bobsComment}`).textContent()).toContain('Bob was here first');
    expect(await page.getByRole('link', { name: 'Oldest' }).getAttribute('aria-current')).toBe('true');
    await noJs.close();

    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
    const mobile = await phone.newPage();
    await mobile.goto(`${base}/articles/open-thread`);
    await mobile.getByRole('heading', { name: 'Join the discussion' }).waitFor();
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(mobile, 'article page on a phone in dark mode');
    await phone.close();
  });

  it('loads more comments from the keyboard and keeps focus in the discussion on the last page', async () => {
    const article = (await p.store.articles.bySlug('members-thread'))!;
    const bob = await p.accounts.actorFor((await p.store.users.byEmail('bob@example.com'))!);
    for (let i = 1; i <= 25; i++) {
      // Past the new-account slowdown between posts.
      p.clock.advance(60_000);
      await p.discussions.post(bob, article.id, `Paged comment number ${i}`, null);
    }
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/articles/members-thread?sort=oldest`);
    const more = page.getByRole('button', { name: 'Load more' });
    await more.waitFor();
    const before = await page.locator('.parley-thread > article').count();
    await more.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Paged comment number 25').waitFor();
    expect(await more.count()).toBe(0);
    // Focus went to the first comment that arrived, not back to the top of the page.
    const focusedIndex = () =>
      page.evaluate(() => [...document.querySelectorAll('.parley-thread > article')].findIndex((el) => el.contains(document.activeElement)));
    await expect.poll(focusedIndex, { timeout: 5000 }).toBe(before);
    await expect.poll(() => page.locator('#comments [role="status"]').textContent(), { timeout: 5000 }).toMatch(/more comments? loaded/);
    await expectAccessible(page, 'second page loaded');
    await ctx.close();
  });

  it('follows a #comment link to a comment that is not on the page, without reloading', async () => {
    const article = (await p.store.articles.bySlug('members-thread'))!;
    const last = (await p.discussions.page(article.id, 'newest', undefined, null)).threads[0]!.comment;
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/articles/members-thread?sort=oldest`);
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    expect(await page.locator(`#comment-${last.id}`).count()).toBe(0);
    const marker = await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.evaluate((id) => (location.hash = `#comment-${id}`), last.id);
    const linked = page.locator(`#comment-${last.id}`);
    await linked.waitFor();
    await expect.poll(() => linked.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await linked.getAttribute('class')).toContain('parley-highlight');
    // Same document: the page did not reload to get there.
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(marker);
    await ctx.close();
  });

  it('keeps what a reader typed before the page became interactive', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, 'ada@example.com');
    // A slow connection: the widget's script arrives a second after the page.
    // Matched by path: pages link the script with its content hash (`?v=`).
    await page.route(
      (url) => url.pathname === '/static/widget.js',
      async (route) => {
        await new Promise((r) => setTimeout(r, 1000));
        await route.continue();
      },
    );
    // Not waiting for the page's scripts (deferred module scripts hold back `load`): the reader types at once.
    await page.goto(`${base}/articles/open-thread`, { waitUntil: 'commit' });
    await page.getByLabel('Write a comment').fill('Typed while the page was still loading.');
    expect(await page.getByText('Notify of').count()).toBe(0);
    // Interactive once the lazily loaded parts appear.
    await page.getByText('Notify of').first().waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Write a comment').inputValue()).toBe('Typed while the page was still loading.');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.locator('.parley-thread > article', { hasText: 'Typed while the page was still loading.' }).waitFor();
    await ctx.close();
  });
});
