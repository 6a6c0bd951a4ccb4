import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Retention } from '../../src/services/retention.js';
import { Store } from '../../src/store/store.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const quiet = { info: () => {}, warn: () => {} };

describe.each(DIALECTS)('retention of events and mail on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  let ada: { cookie: string; csrf: string };
  let bob: { cookie: string; csrf: string };
  const as = (who: { cookie: string; csrf: string }) => ({ cookie: who.cookie, 'x-csrf-token': who.csrf });
  const post = async (who: typeof bob, body: string) => {
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/comments`, headers: as(who), payload: { body } });
    expect(res.statusCode).toBe(201);
    return (json(res).comment as { id: number }).id;
  };
  const events = async () => (await p.store.events.since(articleId, 0, 10_000)).map((e) => e.commentId);
  const mail = async (kind: string) => (await p.store.notifications.outboxRows()).filter((r) => r.kind === kind || r.kind.startsWith(`${kind}:`));

  beforeAll(async () => {
    p = await startParley(dialect);
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    for (const e of ['ada@example.com', 'bob@example.com']) await p.accounts.grant(e, null);
    ada = await p.signIn('ada@example.com');
    bob = await p.signIn('bob@example.com');
    const f = await p.app.inject({ method: 'PUT', url: `/api/v1/articles/${articleId}/follow`, headers: as(ada), payload: { follow: true } });
    expect(f.statusCode).toBe(200);
  });
  afterAll(() => p?.dispose());

  it('deletes events past EVENT_RETENTION_HOURS and settled mails past OUTBOX_RETENTION_DAYS, never a pending mail', async () => {
    expect(p.config.EVENT_RETENTION_HOURS).toBe(72);
    expect(p.config.OUTBOX_RETENTION_DAYS).toBe(14);
    const start = p.clock.now();
    // Day 0: a comment (its event, a mail to the follower, sent), a mail that failed for good and
    // one still waiting for its day.
    const first = await post(bob, 'The first word');
    await p.worker.runOnce();
    await p.store.notifications.enqueueMail({
      kind: 'test-failed',
      recipient: 'gone@example.com',
      userId: null,
      commentId: null,
      followId: null,
      dedupeKey: 'test-failed',
      dueAt: start,
      now: start,
    });
    const failed = (await mail('test-failed'))[0]!;
    await p.store.notifications.finishMail(failed.id, { status: 'failed', error: '550 no such mailbox', now: start });
    await p.store.notifications.enqueueMail({
      kind: 'test-later',
      recipient: 'later@example.com',
      userId: null,
      commentId: null,
      followId: null,
      dedupeKey: 'test-later',
      dueAt: new Date(start.getTime() + 60 * DAY),
      now: start,
    });
    const firstMails = (await p.store.notifications.outboxRows()).filter((r) => r.comment_id === first);
    expect(firstMails.length).toBeGreaterThan(0);
    expect(firstMails.every((r) => r.status === 'sent')).toBe(true);
    expect(await events()).toContain(first);

    // 73 hours on: the first event is past the window, the mails are not.
    p.clock.advance(73 * HOUR);
    const second = await post(bob, 'A word three days later');
    await p.worker.runOnce();
    expect(await p.retention.runOnce()).toMatchObject({ outbox: 0 });
    expect(await events()).not.toContain(first);
    expect(await events()).toContain(second);
    expect(await p.store.events.oldestId(articleId)).toBe((await p.store.events.since(articleId, 0, 1))[0]!.id);
    expect((await p.store.notifications.outboxRows()).filter((r) => r.comment_id === first)).toHaveLength(firstMails.length);

    // Fifteen days from the start: day-0 mails go, except the one not sent yet.
    p.clock.advance(15 * DAY - 73 * HOUR);
    const third = await post(bob, 'A word two weeks later');
    await p.worker.runOnce();
    const report = await p.retention.runOnce();
    expect(report.outbox).toBe(firstMails.length + 1);
    expect(await events()).toEqual([third]);
    const left = await p.store.notifications.outboxRows();
    expect(left.filter((r) => r.comment_id === first)).toHaveLength(0);
    expect(await mail('test-failed')).toHaveLength(0);
    expect(await mail('test-later')).toMatchObject([{ status: 'pending' }]);
    expect(left.some((r) => r.comment_id === second && r.status === 'sent')).toBe(true);
    expect(left.some((r) => r.comment_id === third && r.status === 'sent')).toBe(true);

    // Nothing more to do: a second round deletes nothing.
    expect(await p.retention.runOnce()).toEqual({ events: 0, outbox: 0, idempotencyKeys: 0 });
  });

  it('works through a backlog in bounded batches', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await post(bob, `Backlog comment ${i}`));
    await p.worker.runOnce();
    p.clock.advance(73 * HOUR);
    const recent = await post(bob, 'After the backlog');
    // Every DELETE the pruning runs, with the rows it removed.
    const deleteIds = new Set<unknown>();
    const deleted: number[] = [];
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        if (args.node.kind === 'DeleteQueryNode') deleteIds.add(args.queryId);
        return args.node;
      },
      transformResult: async (args) => {
        if (deleteIds.has(args.queryId)) deleted.push(Number(args.result.numAffectedRows ?? 0));
        return args.result;
      },
    };
    const report = await new Retention(new Store(p.store.db.withPlugin(counting), p.store.dialect), p.config, p.clock, quiet, 5).runOnce();
    expect(Math.max(...deleted)).toBe(5);
    expect(deleted.filter((n) => n === 5).length).toBeGreaterThanOrEqual(2);
    expect(deleted.reduce((a, b) => a + b, 0)).toBe(report.events + report.outbox);
    expect(report.events).toBeGreaterThanOrEqual(12);
    expect(await events()).toEqual([recent]);
    expect(await p.store.events.oldestId(articleId)).toBe((await p.store.events.since(articleId, 0, 1))[0]!.id);
  });

  it('keeps an article with no events left answering oldestEventId with null', async () => {
    p.clock.advance(73 * HOUR);
    await p.retention.runOnce();
    expect(await events()).toEqual([]);
    expect(await p.store.events.oldestId(articleId)).toBeNull();
  });
});
