import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { OutboxWorker } from '../../src/services/outbox-worker.js';
import { WebhookSender } from '../../src/services/webhooks.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const HOUR = 3_600_000;

interface Delivery {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  status: number;
  payload: { type: string; timestamp: string; data: { comment: Record<string, any>; article: Record<string, any> } };
}

/**
 * Standard Webhooks verification written from the spec, apart from Parley's code: HMAC-SHA256 of
 * `id.timestamp.body` keyed with the base64 part of the secret, any `v1,` entry may match.
 */
function verify(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((entry) => {
    const [version, sig] = entry.split(',');
    if (version !== 'v1' || !sig) return false;
    const got = Buffer.from(sig, 'base64');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/** A receiver on a real socket; it answers 500 to the next `failures` requests. */
async function receiver(secret: string) {
  const got: Delivery[] = [];
  const state = { failures: 0, bad: [] as string[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const timestamp = String(req.headers['webhook-timestamp'] ?? '');
      const signature = String(req.headers['webhook-signature'] ?? '');
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json' || !verify(secret, id, timestamp, body, signature)) {
        state.bad.push(`${req.method} ${id} ${signature}`);
        res.writeHead(401).end();
        return;
      }
      const status = state.failures > 0 ? 500 : 204;
      if (status === 500) state.failures--;
      got.push({ id, timestamp: Number(timestamp), signature, body, status, payload: JSON.parse(body) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    got,
    state,
    url: `http://127.0.0.1:${port}/hooks/parley-token-4711?key=receiver-key`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const secret = `whsec_${randomBytes(32).toString('base64')}`;

describe('webhook configuration', () => {
  it('names a bad or missing secret without showing it', () => {
    expect(() => loadConfig({ WEBHOOK_URLS: 'https://hooks.example.com/a' })).toThrow(/WEBHOOK_SECRET: required/);
    const bad = 'whsec_not*base64*at*all';
    try {
      loadConfig({ WEBHOOK_URLS: 'https://hooks.example.com/a', WEBHOOK_SECRET: bad });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).toMatch(/WEBHOOK_SECRET/);
      expect(String(err)).not.toContain('not*base64');
    }
    expect(() => loadConfig({ WEBHOOK_URLS: 'ftp://hooks.example.com/a', WEBHOOK_SECRET: secret })).toThrow(/WEBHOOK_URLS/);
    expect(loadConfig({ WEBHOOK_URLS: 'https://a.example.com/x,http://b.example.com:8080/y', WEBHOOK_SECRET: secret }).WEBHOOK_URLS).toContain('b.example.com');
  });
});

describe.each(DIALECTS)('signed outbound webhooks on %s', (dialect) => {
  let p: TestParley;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let open: number;
  let admin: Who;
  let ada: Who;
  let bob: Who;
  let seq = 0;
  const text = (s: string) => `${s} #${++seq}`;

  const api = (who: Who, method: Method, url: string, payload?: object) =>
    p.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, ...(payload ? { payload } : {}) });
  const posted = async (who: Who, body: string) => {
    const res = await api(who, 'POST', `/articles/${open}/comments`, { body });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).comment as { id: number; status: string };
  };
  const premoderate = async (on: boolean) => {
    const res = await api(admin, 'PUT', '/admin/settings', { premoderateAll: on, premoderateLinks: false, newAccountComments: 0, bannedWords: [] });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** Deliveries the receiver accepted for one comment, as `type` strings in arrival order. */
  const delivered = (commentId: number) => hooks.got.filter((d) => d.status === 204 && d.payload.data.comment.id === commentId).map((d) => d.payload.type);

  beforeAll(async () => {
    hooks = await receiver(secret);
    p = await startParley(dialect, { WEBHOOK_URLS: hooks.url, WEBHOOK_SECRET: secret, REPORTS_TO_HIDE: '5' });
    open = (await p.store.articles.bySlug('open-thread'))!.id;
    for (const e of ['root', 'ada', 'bob']) await p.accounts.grant(`${e}@example.com`, null);
    await p.moderation.setRoleByEmail('root@example.com', 'admin', 'Root');
    [admin, ada, bob] = [await p.signIn('root@example.com'), await p.signIn('ada@example.com'), await p.signIn('bob@example.com')];
    // Established accounts: the vote and new-account rules do not apply.
    p.clock.advance(25 * HOUR);
  });
  afterAll(async () => {
    await p?.dispose();
    await hooks?.close();
  });
  beforeEach(async () => {
    // Whatever earlier steps queued is delivered before a test starts counting.
    await p.worker.runOnce();
    hooks.got.length = 0;
  });

  it('signs and delivers created, edited, reported and deleted once each, and nothing for votes', async () => {
    const c = await posted(ada, text('a **first** comment'));
    expect(c.status).toBe('visible');
    await p.worker.runOnce();
    expect(delivered(c.id)).toEqual(['comment.created']);
    const first = hooks.got[0]!;
    // The receiver checked the signature before accepting; the timestamp is the sending time, in seconds.
    expect(hooks.state.bad).toEqual([]);
    expect(first.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(first.timestamp).toBe(Math.floor(p.clock.now().getTime() / 1000));
    expect(first.payload).toMatchObject({
      type: 'comment.created',
      timestamp: p.clock.now().toISOString(),
      data: {
        comment: {
          id: c.id,
          status: 'visible',
          author: { name: expect.any(String) },
          bodySrc: expect.stringContaining('a **first** comment'),
          bodyHtml: expect.stringContaining('<strong>first</strong>'),
          canEdit: false,
          myVote: 0,
        },
        article: { id: open, slug: 'open-thread', title: expect.any(String), url: `${p.config.baseUrl}/articles/open-thread` },
      },
    });
    // Only public fields: no e-mail address, no moderation notes.
    expect(first.body).not.toContain('@example.com');

    expect((await api(bob, 'PUT', `/comments/${c.id}/vote`, { value: 1 })).statusCode).toBe(200);
    expect((await api(ada, 'PATCH', `/comments/${c.id}`, { body: text('an edited comment') })).statusCode).toBe(200);
    expect((await api(bob, 'POST', `/comments/${c.id}/report`, { reason: 'spam' })).statusCode).toBe(201);
    expect((await api(ada, 'DELETE', `/comments/${c.id}`)).statusCode).toBe(200);
    await p.worker.runOnce();
    await p.worker.runOnce();
    expect(delivered(c.id)).toEqual(['comment.created', 'comment.edited', 'comment.reported', 'comment.deleted']);
    const [, edited, reported, deleted] = hooks.got;
    expect(edited!.payload.data.comment.bodySrc).toContain('an edited comment');
    expect(reported!.payload.data.comment.status).toBe('visible');
    expect(deleted!.payload.data.comment).toMatchObject({ status: 'deleted', bodyHtml: '', bodySrc: null, author: null });
    // One id per event.
    expect(new Set(hooks.got.map((d) => d.id)).size).toBe(4);
    expect(hooks.state.bad).toEqual([]);
  });

  it('announces a held comment as held, and as created only when approved', async () => {
    await premoderate(true);
    try {
      const c = await posted(ada, text('waiting for a moderator'));
      expect(c.status).toBe('pending');
      await p.worker.runOnce();
      expect(delivered(c.id)).toEqual(['comment.held']);
      expect(hooks.got[0]!.payload.data.comment).toMatchObject({ id: c.id, status: 'pending', bodySrc: expect.stringContaining('waiting for a moderator') });

      // Edits of a held comment are not announced: nobody outside the queue has seen it.
      expect((await api(ada, 'PATCH', `/comments/${c.id}`, { body: text('still waiting') })).statusCode).toBe(200);
      await p.worker.runOnce();
      expect(delivered(c.id)).toEqual(['comment.held']);

      expect(json(await api(admin, 'POST', `/admin/comments/${c.id}/approve`))).toEqual({ done: [c.id] });
      await p.worker.runOnce();
      expect(delivered(c.id)).toEqual(['comment.held', 'comment.created']);
      expect(hooks.got[1]!.payload.data.comment.status).toBe('visible');
    } finally {
      await premoderate(false);
    }
  });

  it('retries a failed delivery with the same webhook-id, signed afresh, and never logs the secret or the address', async () => {
    const lines: string[] = [];
    const log = { warn: (...a: unknown[]) => lines.push(JSON.stringify(a)), error: (...a: unknown[]) => lines.push(JSON.stringify(a)) };
    // A worker like the app's, with a log the test can read.
    const worker = new OutboxWorker(p.store, p.mails, p.notifications, p.config, p.clock, log, new WebhookSender(p.config, () => p.clock.now()));
    hooks.state.failures = 1;
    const c = await posted(ada, text('delivered on the second try'));
    await worker.runOnce();
    expect(hooks.got.map((d) => d.status)).toEqual([500]);
    // Not due again until the back-off has passed.
    await worker.runOnce();
    expect(hooks.got).toHaveLength(1);
    p.clock.advance(31_000);
    await worker.runOnce();
    await worker.runOnce();
    expect(hooks.got.map((d) => d.status)).toEqual([500, 204]);
    const [failed, retried] = hooks.got as [Delivery, Delivery];
    expect(retried.id).toBe(failed.id);
    expect(retried.body).toBe(failed.body);
    expect(retried.timestamp).toBe(failed.timestamp + 31);
    expect(retried.signature).not.toBe(failed.signature);
    expect(delivered(c.id)).toEqual(['comment.created']);
    const row = (await p.store.notifications.outboxRows()).find((r) => r.kind === 'webhook:comment.created' && r.comment_id === c.id)!;
    expect(row).toMatchObject({ status: 'sent', attempts: 2, message_id: failed.id });

    expect(lines.some((l) => l.includes('webhook failed, will retry') && l.includes('receiver answered 500'))).toBe(true);
    for (const l of lines) {
      expect(l).not.toContain(secret.slice('whsec_'.length, 20));
      expect(l).not.toContain('parley-token-4711');
      expect(l).not.toContain('receiver-key');
    }
  });

  it('queues nothing when a change rolls back', async () => {
    const before = (await p.store.notifications.outboxRows()).length;
    // A second report by the same reader is refused inside the transaction.
    const c = await posted(ada, text('reported twice'));
    expect((await api(bob, 'POST', `/comments/${c.id}/report`, { reason: 'spam' })).statusCode).toBe(201);
    expect((await api(bob, 'POST', `/comments/${c.id}/report`, { reason: 'spam' })).statusCode).toBe(409);
    const rows = (await p.store.notifications.outboxRows()).slice(before).filter((r) => r.kind.startsWith('webhook:'));
    expect(rows.map((r) => r.kind)).toEqual(['webhook:comment.created', 'webhook:comment.reported']);
  });
});
