import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/services/accounts.js';
import { connect } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { Store, blankArticle } from '../../src/store/store.js';
import { freshDatabase, type TestDialect } from '../support/databases.js';
import { killHard, startServerProcess } from '../support/process.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startRedis } from '../support/redis.js';
import { sseClient } from '../support/sse-client.js';

/** Poster with a session and a follower of the article, written straight to the database. */
async function prepare(url: string) {
  const conn = connect(url);
  await migrate(conn);
  const store = new Store(conn.db, conn.dialect);
  const now = new Date();
  const article = await store.articles.upsert(blankArticle({ slug: 'multi', title: 'Multi-node', publishedAt: now, body: 'x' }), now);
  const poster = await store.users.ensure('poster@example.com', 'Poster', now);
  await store.billing.putEntitlement({ userId: poster.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now });
  await store.users.createSession(hashToken('multi-session'), poster.id, 'multi-csrf', now, new Date(Date.now() + 3600_000));
  const follower = await store.users.ensure('follower@example.com', 'Follower', now);
  await store.notifications.putFollow({ articleId: article.id, email: follower.email, userId: follower.id, confirmed: true, token: 'fmultitoken123', now });
  await conn.close();
  return article.id;
}

const headers = { 'content-type': 'application/json', cookie: 'parley_session=multi-session', 'x-csrf-token': 'multi-csrf' };

async function postComment(base: string, articleId: number, body: string): Promise<number> {
  const r = await fetch(`${base}/api/v1/articles/${articleId}/comments`, { method: 'POST', headers, body: JSON.stringify({ body }) });
  expect(r.status).toBe(201);
  return ((await r.json()) as { comment: { id: number } }).comment.id;
}

/** A live reader as a browser's EventSource would be. */
const sse = (url: string, lastEventId?: string) => sseClient(url, { lastEventId });

async function until(pred: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live events', () => {
  it.each(['sqlite', 'postgres'] as TestDialect[])('reach an SSE client and resume with Last-Event-ID on %s', async (dialect) => {
    const db = await freshDatabase(dialect);
    const articleId = await prepare(db.url);
    const node = await startServerProcess({ DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content' });
    try {
      const client = sse(`${node.url}/api/v1/articles/${articleId}/events`);
      await client.ready;
      await new Promise((r) => setTimeout(r, 100));
      const id = await postComment(node.url, articleId, 'live one');
      const created = await client.waitFor((e) => e.event === 'comment.created' && e.data.comment.id === id);
      expect(created.data.commentCount).toBe(1);
      expect(created.data.comment.bodyHtml).toContain('live one');
      client.close();
      const missed = await postComment(node.url, articleId, 'while away');
      const resumed = sse(`${node.url}/api/v1/articles/${articleId}/events`, (created as { id: string }).id);
      await resumed.ready;
      await resumed.waitFor((e) => e.event === 'comment.created' && e.data.comment.id === missed);
      expect(resumed.events.some((e) => e.data.comment?.id === id)).toBe(false);
      resumed.close();
    } finally {
      await killHard(node.child);
      await db.drop();
    }
  });
});

describe('two app nodes on one PostgreSQL', () => {
  const sink = new SmtpSink();
  let smtp: string;
  beforeAll(async () => {
    smtp = await sink.start();
  });
  afterAll(() => sink.stop());

  it('fans a comment posted on node A out to SSE clients on node B, and mails it exactly once', async () => {
    const db = await freshDatabase('postgres');
    const articleId = await prepare(db.url);
    const env = { DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content', SMTP_URL: smtp, OUTBOX_POLL_MS: '50' };
    const a = await startServerProcess(env);
    const b = await startServerProcess(env);
    try {
      const client = sse(`${b.url}/api/v1/articles/${articleId}/events`);
      await client.ready;
      await new Promise((r) => setTimeout(r, 200));
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await postComment(i % 2 ? b.url : a.url, articleId, `two nodes ${i}`));
      for (const id of ids) await client.waitFor((e) => e.event === 'comment.created' && e.data.comment.id === id);
      await until(() => sink.mails.filter((m) => m.text?.includes('two nodes')).length >= 5);
      // Both workers kept polling for a while; still one mail per comment.
      await new Promise((r) => setTimeout(r, 1000));
      const mails = sink.mails.filter((m) => m.text?.includes('two nodes'));
      expect(mails).toHaveLength(5);
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(5);
      const list = mails[0]!.headerLines.map((h) => h.line).join('\n');
      expect(list).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(list).toMatch(/List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=f[\w-]+>/);
      client.close();
    } finally {
      await killHard(a.child);
      await killHard(b.child);
      await db.drop();
    }
  });

  it('loses no mail and sends none twice when a node is killed mid-delivery', async () => {
    const db = await freshDatabase('postgres');
    const articleId = await prepare(db.url);
    const env = { DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content', SMTP_URL: smtp, OUTBOX_POLL_MS: '50', OUTBOX_LEASE_SECONDS: '5' };
    const first = await startServerProcess(env);
    sink.armStall(3000);
    await postComment(first.url, articleId, 'crash mail');
    await sink.stalled;
    await killHard(first.child);
    const second = await startServerProcess(env);
    try {
      await until(() => sink.mails.some((m) => m.text?.includes('crash mail')), 20_000);
      await new Promise((r) => setTimeout(r, 1000));
      const delivered = sink.mails.filter((m) => m.text?.includes('crash mail'));
      expect(delivered).toHaveLength(1);
      // The copy whose sender died before our answer carried the same Message-ID, so a
      // receiving server that did keep it can drop the resend.
      const lost = sink.unacknowledged.filter((m) => m.text?.includes('crash mail'));
      expect(lost).toHaveLength(1);
      expect(lost[0]!.messageId).toBe(delivered[0]!.messageId);
    } finally {
      await killHard(second.child);
      await db.drop();
    }
  });
});

describe('two app nodes with REDIS_URL', () => {
  it('fan events out through Redis and share rate-limit counters', async () => {
    const redis = await startRedis();
    const db = await freshDatabase('postgres');
    const articleId = await prepare(db.url);
    const env = { DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content', REDIS_URL: redis.url, POST_LIMIT_PER_MINUTE: '4', IP_LIMIT_FACTOR: '1000' };
    const a = await startServerProcess(env);
    const b = await startServerProcess(env);
    try {
      const client = sse(`${b.url}/api/v1/articles/${articleId}/events`);
      await client.ready;
      await new Promise((r) => setTimeout(r, 200));
      const id = await postComment(a.url, articleId, 'through redis');
      await client.waitFor((e) => e.event === 'comment.created' && e.data.comment.id === id);
      client.close();
      // Four posts are allowed per reader per minute across all nodes: one is spent above.
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const base = i % 2 ? a.url : b.url;
        const r = await fetch(`${base}/api/v1/articles/${articleId}/comments`, { method: 'POST', headers, body: JSON.stringify({ body: `limited ${i}` }) });
        statuses.push(r.status);
        if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await killHard(a.child);
      await killHard(b.child);
      await db.drop();
      await redis.stop();
    }
  });
});
