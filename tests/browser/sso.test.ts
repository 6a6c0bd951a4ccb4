import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchConsole } from '../support/browser.js';
import { freePort } from '../support/process.js';
import { startParley, type TestParley } from '../support/harness.js';

const SECRET = 'the-publisher-and-parley-share-this-secret-too';

/** The publisher's redirect to /sso in a real browser: it confirms first, and the button signs in (issue 11). */
describe('single sign-on by redirect from the publisher', () => {
  let p: TestParley;
  let browser: Browser;
  let parleyUrl: string;
  let publisher: Server;
  let publisherUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    parleyUrl = `http://127.0.0.1:${port}`;
    p = await startParley('sqlite', { BASE_URL: parleyUrl, SSO_SECRET: SECRET });
    await p.app.listen({ port, host: '127.0.0.1' });
    // Another site (localhost is not 127.0.0.1): it sends its signed-in reader to Parley, as the README's example does.
    publisher = createServer(async (_req, res) => {
      const now = Math.floor(p.clock.now().getTime() / 1000);
      const token = await new SignJWT({
        sub: 'member-9',
        email: 'nine@publisher.example',
        email_verified: true,
        name: 'Nina Nine',
        aud: parleyUrl,
        iat: now,
        exp: now + 120,
        jti: randomUUID(),
      })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(SECRET));
      res.writeHead(302, { location: `${parleyUrl}/sso?token=${encodeURIComponent(token)}&return=${encodeURIComponent('/articles/open-thread')}` }).end();
    });
    const publisherPort = await freePort();
    await new Promise<void>((resolve) => publisher.listen(publisherPort, 'localhost', resolve));
    publisherUrl = `http://localhost:${publisherPort}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (publisher ? publisher.close(() => resolve()) : resolve()));
    await p?.dispose();
  });

  it('arrives signed out on a confirmation page, and the button signs the reader in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${publisherUrl}/comments/sign-in`);
    expect(new URL(page.url()).pathname).toBe('/sso');
    await expect.poll(() => page.getByText('Nina Nine (nine@publisher.example)').count()).toBe(1);
    // Arriving is not signing in: the same page an attacker's link would show.
    expect((await context.cookies(parleyUrl)).find((c) => c.name === 'parley_session')).toBeUndefined();

    await page.getByRole('button', { name: 'Sign me in' }).click();
    await page.waitForURL(`${parleyUrl}/articles/open-thread`);
    expect((await context.cookies(parleyUrl)).find((c) => c.name === 'parley_session')).toBeDefined();
    const session = (await (await page.request.get(`${parleyUrl}/api/v1/session`)).json()) as { viewer: { name: string } | null };
    expect(session.viewer?.name).toBe('Nina Nine');
    expect(problems).toEqual([]);
    await context.close();
  });
});
