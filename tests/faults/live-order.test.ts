import { afterEach, describe, expect, it } from 'vitest';
import { expectNothingLost, FaultRun, sleep } from '../support/fault-run.js';
import { LOAD_ENV, LoadClient, prepareLoad } from '../support/load-client.js';
import { startPrivatePostgres } from '../support/pg-server.js';

/*
 * Issue 11, fault 3: with ids from a sequence taken before commit, a later id could commit first
 * and live readers skipped the earlier event for good. Two nodes and 20 writers, no faults:
 * every listener must hear every event exactly once, in increasing id order.
 */
describe('live events under concurrent writes on PostgreSQL', () => {
  const run = new FaultRun();
  afterEach(() => run.cleanup(), 60_000);

  it('delivers every committed event exactly once, in order, to listeners on two nodes', async () => {
    const pgs = await startPrivatePostgres();
    run.onCleanup(pgs.destroy);
    const { articleId, writers } = await prepareLoad(pgs.url, 20);
    const env = { ...LOAD_ENV, DATABASE_URL: pgs.url, CONTENT_DIR: 'tests/fixtures/content' };
    const a = await run.node(env);
    const b = await run.node(env);
    const load = new LoadClient({ nodes: [a.url, b.url], articleId, writers, thinkMs: 10, readerHz: 0, listenersPerNode: 2 });
    run.load = load;
    await load.start();
    await sleep(6000);
    await load.stop();
    const report = await load.verify(pgs.url);
    expectNothingLost('20 writers, 2 nodes, no fault', report, run, { listeners: load.listeners.length });
    expect(report.liveResets).toBe(0);
    for (const l of load.listeners) {
      const ids = l.events.map((e) => Number(e.id));
      expect(new Set(ids).size, 'an event was delivered twice').toBe(ids.length);
      expect(ids, 'events out of order').toEqual([...ids].sort((x, y) => x - y));
      // Votes and edits are events too: each listener saw all of them.
      expect(ids.length).toBe(Math.max(...ids) - Math.min(...ids) + 1);
    }
  }, 90_000);
});
