import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/databases.js';
import { startParley, type TestParley } from '../support/harness.js';
import { killHard, startServerProcess } from '../support/process.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  let p: TestParley;
  beforeAll(async () => {
    p = await startParley('sqlite');
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it('returns an acceptable incoming X-Request-Id unchanged', async () => {
    for (const id of ['abc', 'req-2026.11.20_0001', 'A'.repeat(128), '0f8fad5b-d9cb-469f-a165-70867728950e']) {
      const res = await p.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } });
      expect(res.headers['x-request-id']).toBe(id);
    }
  });

  it('replaces a missing, over-long or unsafe id with a fresh UUID, different for each request', async () => {
    const seen = new Set<string>();
    const given = [undefined, '', 'A'.repeat(129), 'has space', 'line\u2028break', 'a,b', '<script>', 'quote"d', 'ünicode'];
    for (const id of given) {
      const res = await p.app.inject({ method: 'GET', url: '/healthz', headers: id === undefined ? {} : { 'x-request-id': id } });
      const back = String(res.headers['x-request-id']);
      expect(back, `given ${JSON.stringify(id)}`).toMatch(UUID);
      seen.add(back);
    }
    expect(seen.size).toBe(given.length);
  });

  it('is on error answers too: 404, 400 and a refused write', async () => {
    const notFound = await p.app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: { 'x-request-id': 'err-404' } });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['x-request-id']).toBe('err-404');
    const bad = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 42 }, headers: { 'x-request-id': 'err-400' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['x-request-id']).toBe('err-400');
    const refused = await p.app.inject({ method: 'POST', url: '/api/v1/articles/open-thread/comments', payload: { body: 'hi' } });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(String(refused.headers['x-request-id'])).toMatch(UUID);
  });

  it("is the reqId of the request's log lines in a real server process", async () => {
    const db = await freshDatabase('sqlite');
    const server = await startServerProcess({ DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content', LOG_LEVEL: 'info' });
    try {
      const given = await fetch(`${server.url}/articles/open-thread`, { headers: { 'x-request-id': 'edge-7f3a.42' } });
      expect(given.headers.get('x-request-id')).toBe('edge-7f3a.42');
      const fresh = await fetch(`${server.url}/healthz`);
      const id = fresh.headers.get('x-request-id')!;
      expect(id).toMatch(UUID);
      const lines = async () => {
        // Lines are written in batches (src/http/logger.ts): both requests' show in time.
        await expect.poll(() => server.output(), { timeout: 10_000 }).toContain(id);
        return server
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { reqId?: string; msg?: string; req?: { url?: string }; res?: { statusCode?: number } });
      };
      const all = await lines();
      // One line a request, when it is answered, with the request's fields and the answer's status.
      const traced = all.filter((l) => l.reqId === 'edge-7f3a.42');
      expect(traced.map((l) => l.msg)).toEqual(['request completed']);
      expect(traced[0]!.req?.url).toBe('/articles/open-thread');
      expect(traced[0]!.res).toEqual({ statusCode: 200 });
      expect(all.filter((l) => l.reqId === id).map((l) => l.msg)).toEqual(['request completed']);
      // Made through options Fastify means to keep: no deprecation warning on the node's output.
      expect(server.output()).not.toMatch(/DeprecationWarning|FSTDEP/);
    } finally {
      await killHard(server.child);
      await db.drop();
    }
  });

  it('writes out the log lines it still holds when it is stopped', async () => {
    const db = await freshDatabase('sqlite');
    const server = await startServerProcess({ DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content', LOG_LEVEL: 'info' });
    try {
      const ids = Array.from({ length: 3 }, (_, i) => `before-stop-${i}`);
      for (const id of ids) await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': id } });
      // Stopped at once: fewer bytes than a batch, and less time than its wait, have gone by.
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      await exited;
      for (const id of ids) expect(server.output()).toContain(`"reqId":"${id}"`);
    } finally {
      await killHard(server.child);
      await db.drop();
    }
  });
});

describe('one logger', () => {
  // The services used to log through a second pino made in src/server.ts without the redaction
  // settings; now src/http/logger.ts makes the only one and Fastify logs through it.
  it('is created in one module only, which Fastify and the services share', () => {
    const makers: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(e.name) && /\bpino\s*\(|\blogger\s*:\s*\{/.test(readFileSync(path, 'utf8'))) makers.push(path);
      }
    };
    walk('src');
    expect(makers).toEqual([join('src', 'http', 'logger.ts')]);
    // The app is built with that logger: `logger: log` among buildApp's arguments (which may hold objects of their own).
    const server = readFileSync('src/server.ts', 'utf8');
    const call = server.slice(server.indexOf('buildApp({'), server.indexOf('\n  });', server.indexOf('buildApp({')));
    expect(call).toMatch(/^\s*logger: log,?$/m);
  });
});
