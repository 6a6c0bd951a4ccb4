import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/store/connect.js';
import { freshDatabase } from '../support/databases.js';
import { expectNothingLost, FaultRun, sleep } from '../support/fault-run.js';
import { LOAD_ENV, LoadClient, prepareLoad } from '../support/load-client.js';
import { startRedis } from '../support/redis.js';
import { sseClient } from '../support/sse-client.js';

const OUTAGE_MS = 3000;

/** `parley_redis_up` from a node's /metrics: 1, 0, or null when it cannot say. */
async function redisUp(node: string): Promise<number | null> {
  try {
    const r = await fetch(`${node}/metrics`, { signal: AbortSignal.timeout(2000) });
    const m = /^parley_redis_up (\d)/m.exec(await r.text());
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function fallbacks(node: string): Promise<number> {
  const text = await (await fetch(`${node}/metrics`)).text();
  return [...text.matchAll(/^parley_redis_fallbacks_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

/** Polls until every node reports `parley_redis_up` = `want`; the time that took (Infinity: never). */
async function timeUntilRedisUp(nodes: string[], want: number, limitMs: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    if ((await Promise.all(nodes.map(redisUp))).every((v) => v === want)) return Date.now() - t0;
    await sleep(50);
  }
  return Infinity;
}

/*
 * Issue 11: with REDIS_URL set, a Redis outage used to be a full outage (every route 500 through
 * the rate limiter while /healthz said 200), and ioredis queued commands meanwhile, so posts whose
 * clients had given up ran once Redis returned. Two server processes share one PostgreSQL
 * database and one Redis; writers post through both, a reader loads the article page on both,
 * and live listeners hold streams on both. Redis is stopped for 3 s and started again, empty, on
 * the same port; or frozen for 3 s (SIGSTOP: connections open, nothing answers) and thawed.
 */
describe('Redis outage with two nodes', () => {
  const run = new FaultRun();
  afterEach(() => run.cleanup(), 60_000);

  async function outage(fault: 'stopped' | 'frozen') {
    const redis = await startRedis();
    run.onCleanup(() => redis.stop());
    const db = await freshDatabase('postgres');
    run.onCleanup(db.drop);
    const { articleId, writers } = await prepareLoad(db.url, 3);
    const conn = connect(db.url);
    const { slug } = await conn.db.selectFrom('articles').select('slug').where('id', '=', articleId).executeTakeFirstOrThrow();
    await conn.close();

    const env = { ...LOAD_ENV, DATABASE_URL: db.url, REDIS_URL: redis.url, CONTENT_DIR: 'tests/fixtures/content' };
    const a = await run.node(env);
    const b = await run.node(env);
    const nodes = [a.url, b.url];
    expect(await timeUntilRedisUp(nodes, 1, 10_000)).toBeLessThan(10_000);

    // A listener on node B that notes when each event arrived, to time delivery while Redis is away.
    const arrived = new Map<number, number>();
    const timed = sseClient(`${b.url}/api/v1/articles/${articleId}/events`);
    run.onCleanup(async () => timed.close());
    await timed.ready;
    let seen = 0;
    const stamp = setInterval(() => {
      for (; seen < timed.events.length; seen++) {
        const e = timed.events[seen]!;
        if (e.event === 'comment.created') arrived.set(Number(e.data.comment.id), Date.now());
      }
    }, 10);
    run.onCleanup(async () => clearInterval(stamp));

    // The article page, as a reader loads it, on both nodes.
    const pages: Record<string, number> = {};
    const pageTimes: { at: number; ms: number }[] = [];
    let reading = true;
    const reader = (async () => {
      for (let i = 0; reading; i++) {
        let status: string;
        const t0 = Date.now();
        try {
          const r = await fetch(`${nodes[i % 2]}/articles/${slug}`, { signal: AbortSignal.timeout(3000) });
          await r.arrayBuffer();
          status = String(r.status);
        } catch (err) {
          status = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
        }
        pages[status] = (pages[status] ?? 0) + 1;
        pageTimes.push({ at: t0, ms: Date.now() - t0 });
        await sleep(100);
      }
    })();
    run.onCleanup(async () => {
      reading = false;
      await reader;
    });

    // Writers give up on an answer after 3 s and retry, as the widget does.
    const load = new LoadClient({ nodes, articleId, writers, thinkMs: 150, readerHz: 10, requestTimeoutMs: 3000, giveUpMs: 15_000 });
    run.load = load;
    await load.start();
    await sleep(1500);

    if (fault === 'stopped') await redis.stop();
    else redis.freeze();
    const downAt = Date.now();
    const detectMs = await timeUntilRedisUp(nodes, 0, OUTAGE_MS);
    await sleep(Math.max(0, downAt + OUTAGE_MS - Date.now()));
    if (fault === 'stopped') await redis.start();
    else redis.thaw();
    const upAt = Date.now();
    const recoveryMs = await timeUntilRedisUp(nodes, 1, 15_000);
    await sleep(2500);
    await load.stop();
    reading = false;
    await reader;

    const report = await load.verify(db.url, 10_000);
    const comments = load.acked.map((c, i) => ({ ...c, at: load.ackTimes[i]! })).filter((c) => c.kind === 'comment');
    const latency = (from: number, to: number) =>
      Math.max(0, ...comments.filter((c) => c.at >= from && c.at < to).map((c) => (arrived.get(c.commentId) ?? Infinity) - c.at));
    const duringOutage = comments.filter((c) => c.at >= downAt && c.at < upAt).length;
    const slowestPageMs = Math.max(0, ...pageTimes.filter((p) => p.at >= downAt && p.at < upAt).map((p) => p.ms));
    const fellBack = await Promise.all(nodes.map(fallbacks));
    const warned = [a, b].map((n) => n.output().split('redis unavailable: using local rate limits and database polling').length - 1);

    // Every row is a comment some writer sent: nothing appeared that no request asked for.
    const check = connect(db.url);
    const rows = await check.db.selectFrom('comments').select('body_src').where('article_id', '=', articleId).execute();
    await check.close();
    const sent = new Set(load.attempts.map((x) => x.body));
    const unknown = rows.filter((r) => !sent.has(r.body_src)).length;

    expectNothingLost(`redis ${fault} 3 s`, report, run, {
      ackedDuringOutage: duringOutage,
      pages,
      slowestPageDuringOutageMs: slowestPageMs,
      detectMs,
      recoveryMs,
      liveLatencyDuringOutageMs: latency(downAt, upAt),
      liveLatencyOverallMs: latency(0, Infinity),
      fallbacks: fellBack,
      warned,
    });
    expect(
      Object.keys(pages).filter((s) => s !== '200' && s !== '503'),
      JSON.stringify(pages),
    ).toEqual([]);
    expect(pages['200']).toBeGreaterThan(0);
    // At most one short Redis timeout on the way, never a wait for Redis to come back.
    expect(slowestPageMs).toBeLessThan(2000);
    expect(unknown).toBe(0);
    // Writes went on during the outage, and their events reached the other node by polling.
    expect(duringOutage).toBeGreaterThan(0);
    expect(latency(downAt, upAt)).toBeLessThan(3000);
    expect(latency(0, Infinity)).toBeLessThan(3000);
    expect(detectMs).toBeLessThan(OUTAGE_MS);
    expect(recoveryMs).toBeLessThan(5000);
    for (const n of fellBack) expect(n).toBeGreaterThan(0);
    // One warning per node for the whole outage, however many connections and retries it took.
    expect(warned).toEqual([1, 1]);
  }

  it(
    'degrades instead of failing while Redis is stopped: local rate limits, live readers fed by polling, nothing replayed late',
    () => outage('stopped'),
    120_000,
  );

  it('degrades the same way while Redis hangs, without each request waiting out a timeout', () => outage('frozen'), 120_000);

  it('keeps rate limits while Redis is down, counted by the node, and counts in Redis again once it is back', async () => {
    const redis = await startRedis();
    run.onCleanup(() => redis.stop());
    const db = await freshDatabase('postgres');
    run.onCleanup(db.drop);
    const { articleId } = await prepareLoad(db.url, 1);
    const node = await run.node({
      ...LOAD_ENV,
      RATE_LIMIT_PER_MINUTE: '20',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      CONTENT_DIR: 'tests/fixtures/content',
    });
    expect(await timeUntilRedisUp([node.url], 1, 10_000)).toBeLessThan(10_000);
    const burst = async (n: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = await fetch(`${node.url}/api/v1/articles/${articleId}/comments`);
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      return statuses;
    };

    await redis.stop();
    expect(await timeUntilRedisUp([node.url], 0, 5000)).toBeLessThan(5000);
    const whileDown = await burst(25);
    // Not skipped (no limit at all) and not failed (500): the node's own counters hold the limit.
    expect(whileDown.filter((s) => s === 200)).toHaveLength(20);
    expect(whileDown.filter((s) => s === 429)).toHaveLength(5);

    // The restarted Redis is empty: fresh counters there, where the node's own are spent.
    await redis.start();
    expect(await timeUntilRedisUp([node.url], 1, 10_000)).toBeLessThan(10_000);
    expect(await burst(5)).toEqual([200, 200, 200, 200, 200]);
  }, 60_000);
});
