import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchConsole } from '../support/browser.js';
import { json, startParley, type TestParley } from '../support/harness.js';
import { freePort } from '../support/process.js';
import { servePage } from '../support/static-host.js';

/* count.js on a publisher's listing page of another origin, in Debian's chromium. */
describe('count.js on a listing page', () => {
  let p: TestParley;
  let browser: Browser;
  let allowed: { url: string; close: () => Promise<void> };
  let refused: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    const hostPort = await freePort();
    const port = await freePort();
    const parleyUrl = `http://127.0.0.1:${port}`;
    const articleUrl = `http://localhost:${hostPort}/articles/42`;
    p = await startParley('sqlite', { EMBED_ALLOWED_ORIGINS: `http://localhost:${hostPort}`, BASE_URL: parleyUrl });
    await p.app.listen({ port, host: '127.0.0.1' });
    // Story 42's page embedded its discussion once, which registered it under its address and id.
    expect(
      (await p.app.inject({ method: 'GET', url: `/embed/frame?${new URLSearchParams({ article: 'story-42', url: articleUrl, title: 'Story 42' })}` }))
        .statusCode,
    ).toBe(200);
    await p.accounts.grant('ada@example.com', null);
    const sub = await p.signIn('ada@example.com');
    const articles = json(await p.app.inject({ method: 'GET', url: '/api/v1/articles' })).articles as { id: number; slug: string }[];
    const post = async (slug: (s: string) => boolean, body: string) => {
      const id = articles.find((a) => slug(a.slug))!.id;
      const res = await p.app.inject({
        method: 'POST',
        url: `/api/v1/articles/${id}/comments`,
        headers: { cookie: sub.cookie, 'x-csrf-token': sub.csrf },
        payload: { body },
      });
      expect(res.statusCode).toBe(201);
    };
    await post((s) => s.startsWith('e-story-42-'), 'first on story 42');
    for (let i = 0; i < 12; i++) await post((s) => s === 'open-thread', `comment ${i}`);
    const replace = { PARLEY_ORIGIN: parleyUrl, ARTICLE_URL: articleUrl };
    allowed = await servePage('examples/listing.html', replace, hostPort, 'localhost');
    // The same page from an origin that is not on the list.
    refused = await servePage('examples/listing.html', replace);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await allowed?.close();
    await refused?.close();
    await p?.dispose();
  });

  it('fills every count with one request to the script’s own origin', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/counts')) requests.push(r.url());
    });
    await page.goto(allowed.url);
    await expect.poll(() => page.locator('#by-url').textContent()).toBe('1 comment');
    await expect.poll(() => page.locator('#by-slug').textContent()).toBe('12 comments');
    await expect.poll(() => page.locator('#by-embed-id').textContent()).toBe('1');
    await expect.poll(() => page.locator('#unknown').textContent()).toBe('0 comments');
    expect(await page.locator('#by-slug').getAttribute('data-parley-counted')).toBe('12');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(new RegExp(`^${p.config.baseUrl}/api/v1/counts\\?`));
    expect(new URL(requests[0]!).searchParams.getAll('slugs').sort()).toEqual(['never-discussed', 'open-thread', 'story-42']);
    expect(problems.filter((m) => !m.includes('favicon'))).toEqual([]);
    await page.close();
  });

  it('fills nothing on a site that is not allowed to embed: the browser withholds the answer', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/counts')) asked.push(r.url());
    });
    await page.goto(refused.url);
    // The script ran and asked; the answer came without this origin in Access-Control-Allow-Origin.
    await expect.poll(() => asked.length).toBe(1);
    await expect.poll(() => problems.join('\n')).toMatch(/blocked by CORS policy/);
    await page.waitForTimeout(300);
    expect(await page.locator('#by-slug').textContent()).toBe('–');
    expect(await page.locator('#by-url').textContent()).toBe('comments');
    await page.close();
  });
});
