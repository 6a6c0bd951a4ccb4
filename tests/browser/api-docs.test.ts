import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { startParley, type TestParley } from '../support/harness.js';

describe('the API reference in a real browser', () => {
  let p: TestParley;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: base });
    await p.app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.dispose();
  });

  it('lists the operations, links to each, passes axe and breaks no CSP rule', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const problems = watchConsole(page);
    await page.goto(`${base}/api/docs`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Parley API reference');
    expect(await page.locator('#listComments h3').textContent()).toContain('GET /api/v1/articles/{id}/comments');
    await page.getByRole('link', { name: 'comments', exact: true }).click();
    expect(page.url()).toMatch(/#tag-comments$/);
    await expectAccessible(page, '/api/docs');
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
