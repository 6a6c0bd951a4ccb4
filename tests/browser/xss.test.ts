import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { startParley, TestClock, type TestParley } from '../support/harness.js';
import { loadPayloads, TRAP } from '../support/xss.js';

const payloads = loadPayloads();

describe('XSS corpus rendered in Chromium', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;
  let articleId: number;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley(
      'sqlite',
      { BASE_URL: base, PAGE_SIZE: '100', REPLIES_PER_THREAD: '0', REPORTS_TO_HIDE: '1000', REPORT_LIMIT_PER_HOUR: '100000' },
      { clock: new TestClock(Date.now()) },
    );
    await p.app.listen({ port, host: '127.0.0.1' });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    // Every payload goes in through the real API, as a comment body and as an author's name.
    const people: { headers: Record<string, string>; comment: number }[] = [];
    for (const [i, payload] of payloads.entries()) {
      const email = `xss${i}@example.com`;
      await p.accounts.grant(email, null);
      const who = await p.signIn(email);
      const headers = { cookie: who.cookie, 'x-csrf-token': who.csrf };
      await p.app.inject({ method: 'PATCH', url: '/api/v1/me', headers, payload: { displayName: payload.slice(0, 200) } });
      const res = await p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/comments`, headers, payload: { body: payload } });
      expect(res.statusCode, `payload ${i} was refused: ${res.body}`).toBe(201);
      people.push({ headers, comment: res.json().comment.id });
    }
    // ...and as the text of a report, which moderators read on the dashboard.
    for (const [i, payload] of payloads.entries()) {
      const target = people[(i + 1) % people.length]!.comment;
      const res = await p.app.inject({
        method: 'POST',
        url: `/api/v1/comments/${target}/report`,
        headers: people[i]!.headers,
        payload: { reason: 'other', text: payload.slice(0, 1000) },
      });
      expect(res.statusCode, `report ${i}: ${res.body}`).toBe(201);
    }
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it(`runs none of ${payloads.length} payloads as report reasons on the moderation dashboard`, async () => {
    const mod = await p.store.users.ensure('mod@example.com', 'Mod', new Date());
    await p.store.users.setRole(mod.id, 'moderator');
    const s = await p.signIn('mod@example.com');
    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: 'parley_session', value: s.cookie.split('=')[1]!, url: base }]);
    await ctx.addInitScript(TRAP);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let url: string | null = `${base}/admin?tab=reported`;
    const texts = new Set<string>();
    for (let pages = 0; url && pages < 50; pages++) {
      await page.goto(url);
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => (window as unknown as { __xssHits: string[] }).__xssHits), `admin page ${pages}`).toEqual([]);
      const bad = await page.evaluate(() => {
        const out: string[] = [];
        for (const el of document.querySelectorAll('main *')) {
          // The dashboard's own assets come from /static/; anything else would be injected.
          const own = (el.getAttribute('src') ?? el.getAttribute('href') ?? '').startsWith('/static/');
          if (!own && ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'STYLE', 'IMG', 'BASE', 'META', 'LINK'].includes(el.tagName.toUpperCase()))
            out.push(`<${el.tagName}>`);
          for (const a of el.attributes) if (/^on/i.test(a.name)) out.push(`${el.tagName} ${a.name}`);
        }
        return out;
      });
      expect(bad, `admin page ${pages}`).toEqual([]);
      for (const t of await page.locator('main').allTextContents()) texts.add(t);
      const next = page.locator('a[href*="cursor="]').last();
      url = (await next.count()) ? new URL((await next.getAttribute('href'))!, base).toString() : null;
    }
    // The reports were really on the pages we checked, shown as text.
    const shown = [...texts].join('\n');
    expect(payloads.filter((x) => shown.includes(x.slice(0, 40).trim())).length).toBeGreaterThan(payloads.length / 2);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it(`runs none of ${payloads.length} payloads posted as comments and display names`, async () => {
    const ctx = await browser.newContext();
    await ctx.addInitScript(TRAP);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let url: string | null = `${base}/articles/open-thread?sort=oldest`;
    let pages = 0;
    let seen = 0;
    while (url) {
      await page.goto(url);
      // Give hydration, lazy chunks and any smuggled timers a moment to run.
      await page.waitForTimeout(300);
      pages++;
      seen += await page.locator('#comments .parley-thread > article').count();
      const hits = await page.evaluate(() => (window as unknown as { __xssHits: string[] }).__xssHits);
      expect(hits, `page ${pages}`).toEqual([]);
      const dangerous = await page.evaluate(() => {
        // Where user text lands: comment bodies, names, and whom a reply answers.
        const out: string[] = [];
        // (A comment's body is the div after its header, the name its <b>, "Reply to" the link after the time's.)
        for (const el of document.querySelectorAll('#comments .parley-thread article :is(header + div, header > b, header > a + a, .parley-edited) *')) {
          if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'STYLE', 'IMG', 'FORM', 'BASE', 'META', 'LINK'].includes(el.tagName.toUpperCase()))
            out.push(`<${el.tagName}>`);
          for (const a of el.attributes) {
            if (/^on/i.test(a.name)) out.push(`${el.tagName} ${a.name}`);
            if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value))
              out.push(`${el.tagName} ${a.name}=${a.value}`);
          }
        }
        return out;
      });
      expect(dangerous, `page ${pages}`).toEqual([]);
      const next = page.getByRole('button', { name: 'Load more' });
      if ((await next.count()) === 0) break;
      const state = await page.evaluate(() => JSON.parse(document.getElementById('parley-state')!.textContent!).page.nextCursor as string | null);
      url = state ? `${base}/articles/open-thread?sort=oldest&cursor=${encodeURIComponent(state)}` : null;
    }
    expect(seen).toBeGreaterThanOrEqual(payloads.length);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
