import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connect } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { hashToken } from '../../src/services/accounts.js';
import { Store } from '../../src/store/store.js';
import { DIALECTS, PG_ADMIN_URL, freshDatabase } from '../support/databases.js';
import { killHard, startServerProcess } from '../support/process.js';

/** A subscriber with a session made directly in the database, so the test needs no mail. */
async function prepare(url: string) {
  const conn = connect(url);
  await migrate(conn);
  const store = new Store(conn.db, conn.dialect);
  const now = new Date();
  const user = await store.users.ensure('crash@example.com', 'Crash Tester', now);
  await store.billing.putEntitlement({ userId: user.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now });
  await store.users.createSession(hashToken('crash-session-token'), user.id, 'crash-csrf', now, new Date(Date.now() + 3600_000));
  await conn.close();
}

const headers = { 'content-type': 'application/json', cookie: 'parley_session=crash-session-token', 'x-csrf-token': 'crash-csrf' };

describe.each(DIALECTS)('durability on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('keeps every acknowledged comment and vote when the process is killed with SIGKILL', async () => {
    const db = await freshDatabase(dialect);
    cleanups.push(db.drop);
    await prepare(db.url);
    const env = { DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content', POST_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '100000' };
    const first = await startServerProcess(env);
    const articles = (await (await fetch(`${first.url}/api/v1/articles`)).json()) as { articles: { id: number; slug: string }[] };
    const articleId = articles.articles.find((a) => a.slug === 'open-thread')!.id;
    const acked: number[] = [];
    // Fire a stream of posts and kill the server while they are in flight.
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      inflight.push(
        fetch(`${first.url}/api/v1/articles/${articleId}/comments`, { method: 'POST', headers, body: JSON.stringify({ body: `durable ${i}` }) })
          .then(async (r) => {
            if (r.status === 201) acked.push(((await r.json()) as { comment: { id: number } }).comment.id);
          })
          .catch(() => {}),
      );
      if (i === 40) await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.race([Promise.all(inflight.slice(0, 30)), new Promise((r) => setTimeout(r, 5000))]);
    await killHard(first.child);
    await Promise.all(inflight);
    expect(acked.length).toBeGreaterThan(0);

    const second = await startServerProcess(env);
    try {
      for (const id of acked) {
        const r = await fetch(`${second.url}/api/v1/comments/${id}/thread`);
        expect(r.status, `acknowledged comment ${id} is missing after the crash`).toBe(200);
      }
      const count = (await (await fetch(`${second.url}/api/v1/articles`)).json()) as { articles: { id: number; commentCount: number }[] };
      expect(count.articles.find((a) => a.id === articleId)!.commentCount).toBeGreaterThanOrEqual(acked.length);
    } finally {
      await killHard(second.child);
    }
  });
});

describe('durability on postgres, continued', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('recovers when the database drops every connection (a restart)', async () => {
    const db = await freshDatabase('postgres');
    cleanups.push(db.drop);
    await prepare(db.url);
    const server = await startServerProcess({ DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content' });
    try {
      const name = new URL(db.url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await admin.end();
      // The pool notices its dead clients; within a few attempts requests succeed again.
      let ok = false;
      for (let i = 0; i < 20 && !ok; i++) {
        const r = await fetch(`${server.url}/healthz`);
        ok = r.status === 200;
        if (!ok) {
          expect(r.status).toBe(500);
          expect(((await r.json()) as { error: { code: string } }).error.code).toBe('internal');
        }
      }
      expect(ok).toBe(true);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await killHard(server.child);
    }
  });
});
