import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';
import { sseClient } from '../support/sse-client.js';

const HOUR = 3600_000;

describe.each(DIALECTS)('live readers resuming on %s', (dialect) => {
  let p: TestParley;
  afterEach(() => p?.dispose());

  it('resume from their Last-Event-ID, and are told to reload when the events after it were pruned', async () => {
    p = await startParley(dialect);
    const articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    await p.accounts.grant('ada@example.com', null);
    const ada = await p.signIn('ada@example.com');
    const post = async (body: string) => {
      const res = await p.app.inject({
        method: 'POST',
        url: `/api/v1/articles/${articleId}/comments`,
        headers: { cookie: ada.cookie, 'x-csrf-token': ada.csrf },
        payload: { body },
      });
      expect(res.statusCode).toBe(201);
      return json(res).comment.id as number;
    };
    await post('first, soon pruned');
    await post('second, soon pruned');
    const lastOld = await p.store.events.lastId(articleId);
    p.clock.advance(100 * HOUR);
    const kept = await post('third, kept');
    await p.retention.runOnce();
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
