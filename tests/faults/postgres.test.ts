import { afterEach, describe, expect, it } from 'vitest';
import { expectNothingLost, FaultRun, sleep, timeUntilOk } from '../support/fault-run.js';
import { LOAD_ENV, LoadClient, prepareLoad } from '../support/load-client.js';
import { startPrivatePostgres } from '../support/pg-server.js';

/*
 * PostgreSQL faults under the traffic of issue 11: two writers posting comments, replies and
 * votes with 200 ms think time, a 10 Hz reader, live listeners on two nodes. Each test runs its
 * own PostgreSQL server, so restarting or freezing it disturbs no other suite.
 */
describe('PostgreSQL faults with two nodes', () => {
  const run = new FaultRun();
  afterEach(() => run.cleanup(), 60_000);

  async function setUp(env: Record<string, string> = {}) {
    const pgs = await startPrivatePostgres();
    run.onCleanup(pgs.destroy);
    const { articleId, writers } = await prepareLoad(pgs.url, 2);
    const nodeEnv = { ...LOAD_ENV, DATABASE_URL: pgs.url, CONTENT_DIR: 'tests/fixtures/content', ...env };
    const a = await run.node(nodeEnv);
    const b = await run.node(nodeEnv);
    const load = new LoadClient({ nodes: [a.url, b.url], articleId, writers, thinkMs: 200, readerHz: 10 });
    run.load = load;
    await load.start();
    return { pgs, load, a, b, articleId, writers };
  }

  it('survives a restart of the database: no crash, 503 during the blip, serving again within 2 s', async () => {
    const { pgs, load, a, b } = await setUp();
    await sleep(1500);
    await pgs.restart();
    const recovery = Math.max(await timeUntilOk(`${a.url}/readyz`), await timeUntilOk(`${b.url}/readyz`));
    await sleep(2500);
    await load.stop();
    const report = await load.verify(pgs.url);
    expectNothingLost('postgres restart', report, run, { recoveryMs: recovery });
    expect(recovery).toBeLessThan(2000);
  }, 90_000);

  it('survives pg_terminate_backend of every session, twice', async () => {
    const { pgs, load } = await setUp();
    await sleep(1000);
    const t = Date.now();
    await pgs.terminateBackends();
    await sleep(700);
    await pgs.terminateBackends();
    await sleep(2500);
    await load.stop();
    const report = await load.verify(pgs.url);
    expectNothingLost('pg_terminate_backend', report, run, { recoveryMs: load.firstAckAfter(t) });
  }, 90_000);

  it('answers 503 within the timeouts while the database is frozen, and recovers when it thaws', async () => {
    const { pgs, load, a, articleId, writers } = await setUp({
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_ACQUIRE_TIMEOUT_MS: '1000',
      RESPONSE_TIMEOUT_MS: '3000',
    });
    await sleep(1000);
    await pgs.freeze();
    let frozenAnswer: { status: number; ms: number; body: string; retryAfter: string | null };
    try {
      const t0 = Date.now();
      // A write: it cannot be answered from the page cache, so it must meet the frozen database.
      const r = await fetch(`${a.url}/api/v1/articles/${articleId}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: writers[0]!.cookie, 'x-csrf-token': writers[0]!.csrf },
        body: JSON.stringify({ body: 'posted while the database is frozen' }),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => null);
      frozenAnswer = { status: r?.status ?? 0, ms: Date.now() - t0, body: r ? await r.text() : '', retryAfter: r?.headers.get('retry-after') ?? null };
      await sleep(3000);
    } finally {
      await pgs.thaw();
    }
    const recovery = await timeUntilOk(`${a.url}/readyz`);
    await sleep(3000);
    await load.stop();
    const report = await load.verify(pgs.url, 15_000);
    expectNothingLost('postgres frozen 4 s', report, run, { frozenAnswer: frozenAnswer.status, frozenMs: frozenAnswer.ms, recoveryMs: recovery });
    expect(frozenAnswer.status).toBe(503);
    expect(frozenAnswer.ms).toBeLessThan(5000);
    expect(frozenAnswer.retryAfter).toMatch(/^\d+$/);
    expect(['database_unavailable', 'timeout']).toContain(JSON.parse(frozenAnswer.body).error.code);
    // The comment refused while frozen must not appear later either.
    expect(report.duplicated).toBe(0);
  }, 90_000);

  it('reopens the LISTEN connection after a long outage and reports the bus in /readyz meanwhile', async () => {
    const { pgs, load, a } = await setUp();
    await sleep(1000);
    await pgs.stop();
    await sleep(1500);
    const down = await fetch(`${a.url}/readyz`);
    const downBody = (await down.json()) as { status: string; checks: Record<string, string> };
    await pgs.start();
    const recovery = await timeUntilOk(`${a.url}/readyz`);
    await sleep(3000);
    await load.stop();
    const report = await load.verify(pgs.url, 15_000);
    expectNothingLost('postgres down 1.5 s', report, run, { recoveryMs: recovery });
    expect(down.status).toBe(503);
    expect(downBody.status).toBe('degraded');
    expect(recovery).toBeLessThan(5000);
  }, 90_000);
});
