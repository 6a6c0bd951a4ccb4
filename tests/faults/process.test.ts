import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/databases.js';
import { expectNothingLost, FaultRun, sleep } from '../support/fault-run.js';
import { LOAD_ENV, LoadClient, prepareLoad } from '../support/load-client.js';
import { killHard } from '../support/process.js';
import { startPrivatePostgres } from '../support/pg-server.js';

/*
 * Faults of the app process itself: kill -9 in the middle of traffic (the node comes back on the
 * same port, as a supervisor would restart it) and a deploy's SIGTERM under load.
 */
describe('process faults under load', () => {
  const run = new FaultRun();
  afterEach(() => run.cleanup(), 60_000);

  it.each(['sqlite', 'postgres'] as const)(
    'kill -9 twice on %s: nothing acknowledged is lost or doubled, live readers catch up',
    async (dialect) => {
      const db = dialect === 'sqlite' ? await freshDatabase('sqlite') : await startPrivatePostgres();
      run.onCleanup(async () => ('destroy' in db ? db.destroy() : db.drop()));
      const { articleId, writers } = await prepareLoad(db.url, 4);
      const env = { ...LOAD_ENV, DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content' };
      let node = await run.node(env);
      const load = new LoadClient({ nodes: [node.url], articleId, writers, thinkMs: 20, readerHz: 10, requestTimeoutMs: 3000 });
      run.load = load;
      await load.start();
      const recoveries: number[] = [];
      for (let kill = 0; kill < 2; kill++) {
        await sleep(1500);
        await killHard(node.child);
        run.retire(node);
        const t = Date.now();
        node = await run.node(env, { port: node.port });
        await sleep(1000);
        recoveries.push(load.firstAckAfter(t) ?? Infinity);
      }
      await sleep(1000);
      await load.stop();
      const report = await load.verify(db.url, 15_000);
      expectNothingLost(`kill -9 x2 (${dialect})`, report, run, { recoveryMs: recoveries });
    },
    120_000,
  );

  it.each(['sqlite', 'postgres'] as const)(
    'kill -9 amid 32 writers posting without pause on %s: group commit acknowledged only what it committed',
    async (dialect) => {
      const db = dialect === 'sqlite' ? await freshDatabase('sqlite') : await startPrivatePostgres();
      run.onCleanup(async () => ('destroy' in db ? db.destroy() : db.drop()));
      const { articleId, writers } = await prepareLoad(db.url, 32);
      const env = { ...LOAD_ENV, DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content' };
      let node = await run.node(env);
      // No think time: posts queue behind each commit and share the next one, so the kill lands
      // with a batch in flight whose posts have not been answered.
      const load = new LoadClient({ nodes: [node.url], articleId, writers, thinkMs: 0, readerHz: 0, requestTimeoutMs: 3000 });
      run.load = load;
      await load.start();
      await sleep(2000);
      await killHard(node.child);
      run.retire(node);
      const t = Date.now();
      node = await run.node(env, { port: node.port });
      await sleep(1500);
      await load.stop();
      const report = await load.verify(db.url, 15_000);
      expectNothingLost(`kill -9 amid concurrent posts (${dialect})`, report, run, { recoveryMs: load.firstAckAfter(t) });
      expect(report.comments).toBeGreaterThan(writers.length);
    },
    120_000,
  );

  it('SIGTERM under load: requests in flight finish, readiness drains, live streams end with a retry hint', async () => {
    const pgs = await startPrivatePostgres();
    run.onCleanup(pgs.destroy);
    const { articleId, writers } = await prepareLoad(pgs.url, 3);
    const env = { ...LOAD_ENV, DATABASE_URL: pgs.url, CONTENT_DIR: 'tests/fixtures/content' };
    const a = await run.node({ ...env, SHUTDOWN_DELAY_MS: '800' });
    const b = await run.node(env);
    const load = new LoadClient({ nodes: [a.url, b.url], articleId, writers, thinkMs: 100, readerHz: 10 });
    run.load = load;
    await load.start();
    await sleep(1000);

    // Twenty posts in flight on node A when the deploy's SIGTERM arrives.
    const w = writers[0]!;
    const inflight = Array.from({ length: 20 }, (_, i) =>
      fetch(`${a.url}/api/v1/articles/${articleId}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: w.cookie, 'x-csrf-token': w.csrf },
        body: JSON.stringify({ body: `in flight at SIGTERM ${i}` }),
      }).then(
        (r) => r.status,
        (err: Error) => `reset: ${err.message}`,
      ),
    );
    await sleep(20);
    const exited = new Promise<number | null>((resolve) => a.child.once('exit', (code) => resolve(code)));
    a.child.kill('SIGTERM');
    await sleep(200);
    const ready = await fetch(`${a.url}/readyz`).then(async (r) => ({ status: r.status, body: (await r.json()) as { status: string } }));
    const statuses = await Promise.all(inflight);
    const code = await Promise.race([exited, sleep(15_000).then(() => 'still running')]);
    run.retire(a);
    const streamEnded = load.listeners[0]!.connects;

    // The supervisor starts the new version on the same port; readers there resume.
    await run.node(env, { port: a.port });
    await sleep(2500);
    await load.stop();
    const report = await load.verify(pgs.url, 15_000);
    expect(
      statuses.filter((s) => s !== 201),
      'a request in flight at SIGTERM did not finish',
    ).toEqual([]);
    expect(ready).toEqual({ status: 503, body: expect.objectContaining({ status: 'draining' }) });
    expect(code).toBe(0);
    expect(load.listeners[0]!.connects, 'the live stream on the stopped node did not reconnect').toBeGreaterThan(streamEnded - 1);
    expect(load.listeners[0]!.resets).toBe(0);
    // The node that was stopped is replaced by a live one: every node alive, nothing lost.
    expectNothingLost('SIGTERM under load', report, run, { inflightAtSigterm: statuses.length });
  }, 120_000);
});
