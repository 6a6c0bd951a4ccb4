import { afterEach, describe, expect, it } from 'vitest';
import { inProcessBus } from '../../src/events/bus.js';
import { type LiveEvent, LiveHub } from '../../src/services/live.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';
import { sseClient } from '../support/sse-client.js';

const HOUR = 3600_000;

describe.each(DIALECTS)('live readers resuming on %s', (dialect) => {
  let p: TestParley;
  afterEach(() => p?.dispose());

  /** Two events, pruned after 100 hours, then a third: the log keeps only the third. */
  const prunedThread = async (post: (body: string) => Promise<number>) => {
    await post('first, soon pruned');
    await post('second, soon pruned');
    const lastOld = await p.store.events.lastId(articleId);
    p.clock.advance(100 * HOUR);
    const kept = await post('third, kept');
    await p.retention.runOnce();
    return { lastOld, kept };
  };
  let articleId: number;
  const poster = async () => {
    p = await startParley(dialect);
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    await p.accounts.grant('ada@example.com', null);
    const ada = await p.signIn('ada@example.com');
    return async (body: string) => {
      const res = await p.app.inject({
        method: 'POST',
        url: `/api/v1/articles/${articleId}/comments`,
        headers: { cookie: ada.cookie, 'x-csrf-token': ada.csrf },
        payload: { body },
      });
      expect(res.statusCode).toBe(201);
      return json(res).comment.id as number;
    };
  };

  it('are told to reload, and sent nothing past the gap, when a read of the log runs while they join', async () => {
    const post = await poster();
    const { lastOld } = await prunedThread(post);
    // The join's check for a gap waits until another read of the log (a wake-up) has run.
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let checking = () => {};
    const inCheck = new Promise<void>((r) => (checking = r));
    const events = Object.create(p.store.events) as typeof p.store.events;
    events.oldestId = async (id: number) => {
      checking();
      await gate;
      return p.store.events.oldestId(id);
    };
    const bus = inProcessBus();
    const hub = new LiveHub({ articles: p.store.articles, events }, p.discussions, bus);
    const listener = (lastId: number) => ({
      lastId,
      sent: [] as LiveEvent[],
      resets: 0,
      send(e: LiveEvent[]) {
        this.sent.push(...e);
      },
      reset() {
        this.resets++;
      },
    });
    const current = listener(lastOld);
    const behind = listener(lastOld - 1);
    try {
      await hub.join(articleId, current);
      expect(current.sent.map((e) => e.type)).toEqual(['comment.created']);
      const joined = hub.join(articleId, behind);
      await inCheck;
      await bus.publish({ articleId, eventId: 0 });
      await new Promise((r) => setTimeout(r, 100));
      release();
      await joined;
      await new Promise((r) => setTimeout(r, 100));
      expect(behind.resets).toBe(1);
      expect(behind.sent).toEqual([]);
      // Told to reload, it is sent what comes next, and only that.
      const next = await post('fourth, after the reload');
      await bus.publish({ articleId, eventId: 0 });
      await new Promise((r) => setTimeout(r, 100));
      expect(behind.sent.map((e) => e.comment.id)).toEqual([next]);
    } finally {
      hub.close();
      await bus.close();
    }
  });

  it('resume from their Last-Event-ID, and are told to reload when the events after it were pruned', async () => {
    const post = await poster();
    const { lastOld, kept } = await prunedThread(post);
    expect(await p.store.events.oldestId(articleId)).toBe(lastOld + 1);

    const url = await p.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = `${url}/api/v1/articles/${articleId}/events`;
    const current = sseClient(stream, { lastEventId: String(lastOld) });
    const behind = sseClient(stream, { lastEventId: String(lastOld - 1) });
    try {
      const got = await current.waitFor((e) => e.event === 'comment.created');
      expect(got.data.comment.id).toBe(kept);
      expect(current.resets).toBe(0);
      await behind.waitFor((e) => e.event === 'reset');
      expect(behind.events.some((e) => e.event === 'comment.created')).toBe(false);
    } finally {
      current.close();
      behind.close();
    }
  });
});
