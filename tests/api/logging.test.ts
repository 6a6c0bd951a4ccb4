import { afterAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/http/log-redaction.js';
import { freshDatabase } from '../support/databases.js';
import { killHard, startServerProcess } from '../support/process.js';

describe('request logs keep secrets out', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('redacts one-time tokens in URLs, in any position and spelling, and leaves the rest', () => {
    expect(redactUrl('/auth/verify?token=abc123')).toBe('/auth/verify?token=[redacted]');
    expect(redactUrl('/embed/frame?article=a&sso=eyJ.x.y&sort=top')).toBe('/embed/frame?article=a&sso=[redacted]&sort=top');
    expect(redactUrl('/x?%74oken=abc')).toBe('/x?%74oken=[redacted]');
    expect(redactUrl('/articles/a?sort=newest')).toBe('/articles/a?sort=newest');
    expect(redactUrl('/healthz')).toBe('/healthz');
    expect(redactUrl('/search?q=a%20b&ssort=1')).toBe('/search?q=a%20b&ssort=1');
    expect(redactUrl('/x?a=1&TOKEN=2&token=3')).toBe('/x?a=1&TOKEN=2&token=[redacted]');
  });

  it('writes no token, cookie or CSRF token of a real request into the server log', async () => {
    const db = await freshDatabase('sqlite');
    cleanups.push(db.drop);
    const server = await startServerProcess({ DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content', LOG_LEVEL: 'info' });
    cleanups.push(() => killHard(server.child));
    await fetch(`${server.url}/auth/verify?token=LOGIN-SECRET-1`);
    await fetch(`${server.url}/unsubscribe?token=UNSUB-SECRET-2`);
    await fetch(`${server.url}/sso?token=SSO-SECRET-3&return=/`);
    expect((await fetch(`${server.url}/no-such-page?token=NOT-FOUND-SECRET-6`)).status).toBe(404);
    await fetch(`${server.url}/articles/open-thread`, { headers: { cookie: 'parley_session=COOKIE-SECRET-4', 'x-csrf-token': 'CSRF-SECRET-5' } });
    // Lines are written in batches (src/http/logger.ts): the last request's shows when all have.
    await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('"url":"/articles/open-thread"');
    const log = server.output();
    expect(log).toContain('"url":"/auth/verify?token=[redacted]"');
    expect(log).toContain('"url":"/sso?token=[redacted]&return=/"');
    expect(log).toContain('"url":"/no-such-page?token=[redacted]"');
    for (const secret of ['LOGIN-SECRET-1', 'UNSUB-SECRET-2', 'SSO-SECRET-3', 'COOKIE-SECRET-4', 'CSRF-SECRET-5', 'NOT-FOUND-SECRET-6'])
      expect(log).not.toContain(secret);
  });
});
