import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

/** The sum of the samples of `name` whose labels include all of `labels`, from Prometheus' text format. */
function sample(text: string, name: string, labels: Record<string, string> = {}, opts: { absentIsZero?: boolean } = {}): number {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      total += Number(m[3]);
      found = true;
    }
  }
  if (!found && !opts.absentIsZero)
    throw new Error(
      `no sample ${name} ${JSON.stringify(labels)} in:\n${text
        .split('\n')
        .filter((l) => l.startsWith(name.slice(0, 12)))
        .join('\n')}`,
    );
  return total;
}

describe.each(DIALECTS)('/metrics on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  const scrape = async () => {
    const res = await p.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };

  beforeAll(async () => {
    p = await startParley(dialect);
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
  });
  afterAll(() => p?.dispose());

  it('times requests by route pattern, method and status class, never by raw URL', async () => {
    const route = { route: '/api/v1/articles/:id/comments', method: 'GET', status: '2xx' };
    const before = await scrape();
    const count0 = sample(before, 'parley_http_request_duration_seconds_count', route, { absentIsZero: true });
    for (let i = 0; i < 3; i++) expect((await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments` })).statusCode).toBe(200);
    await p.app.inject({ method: 'GET', url: '/no/such/page/4711' });
    await p.app.inject({ method: 'GET', url: '/api/v1/articles/999999/comments' });
    const after = await scrape();
    expect(sample(after, 'parley_http_request_duration_seconds_count', route)).toBe(count0 + 3);
    expect(sample(after, 'parley_http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBe(count0 + 3);
    expect(sample(after, 'parley_http_request_duration_seconds_sum', route)).toBeGreaterThan(0);
    expect(sample(after, 'parley_http_request_duration_seconds_count', { route: 'unmatched', status: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'parley_http_request_duration_seconds_count', { route: '/api/v1/articles/:id/comments', status: '4xx' })).toBeGreaterThanOrEqual(1);
    const routes = [...after.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!);
    expect(routes.filter((r) => /4711|999999/.test(r))).toEqual([]);
  });

  it('counts page-cache hits and misses', async () => {
    const before = await scrape();
    const [hits0, misses0] = [sample(before, 'parley_page_cache_hits_total'), sample(before, 'parley_page_cache_misses_total')];
    // A new sort order is a page not cached yet: one miss, then hits.
    for (let i = 0; i < 3; i++) await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments?sort=oldest` });
    const after = await scrape();
    expect(sample(after, 'parley_page_cache_misses_total')).toBeGreaterThanOrEqual(misses0 + 1);
    expect(sample(after, 'parley_page_cache_hits_total')).toBeGreaterThanOrEqual(hits0 + 2);
  });

  it('shows the mail backlog, its age and delivery failures', async () => {
    const before = await scrape();
    const pending0 = sample(before, 'parley_mail_pending');
    const retry0 = sample(before, 'parley_mail_failures_total', { outcome: 'retry' });
    expect(
      (await p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/follow-by-email`, payload: { email: 'metrics@example.com' } })).statusCode,
    ).toBe(202);
    p.clock.advance(90_000);
    const queued = await scrape();
    expect(sample(queued, 'parley_mail_pending')).toBe(pending0 + 1);
    expect(sample(queued, 'parley_mail_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(90);
    const real = p.mails.send.bind(p.mails);
    p.mails.send = async () => {
      throw new Error('421 try later');
    };
    try {
      await p.worker.runOnce();
    } finally {
      p.mails.send = real;
    }
    const failed = await scrape();
    console.log(JSON.stringify(await p.store.notifications.outboxRows()), p.clock.now().getTime());
    expect(sample(failed, 'parley_mail_failures_total', { outcome: 'retry' })).toBe(retry0 + 1);
    // Backing off, the mail is not due: it waits, but is not late.
    expect(sample(failed, 'parley_mail_pending')).toBe(pending0 + 1);
    expect(sample(failed, 'parley_mail_oldest_pending_age_seconds')).toBe(0);
    p.clock.advance(24 * 3600_000);
    await p.worker.runOnce();
    const sent = await scrape();
    expect(sample(sent, 'parley_mail_pending')).toBe(pending0);
    expect(sample(sent, 'parley_mail_oldest_pending_age_seconds')).toBe(0);
  });

  it('counts live (SSE) listeners while they are connected', async () => {
    const address = await p.app.listen({ port: 0, host: '127.0.0.1' });
    const before = sample(await scrape(), 'parley_live_listeners');
    const ctrl = new AbortController();
    const res = await fetch(`${address}/api/v1/articles/${articleId}/events`, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    await expect.poll(async () => sample(await scrape(), 'parley_live_listeners')).toBe(before + 1);
    ctrl.abort();
    await reader.cancel().catch(() => {});
    await expect.poll(async () => sample(await scrape(), 'parley_live_listeners')).toBe(before);
  });

  it('reports the database pool on PostgreSQL only, and the event-loop delay', async () => {
    const text = await scrape();
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    if (dialect === 'postgres') {
      expect(sample(text, 'parley_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'parley_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
      // The scrape's own queries do not count: nothing else runs now, so nothing waits.
      expect(sample(text, 'parley_db_pool_waiting_requests')).toBe(0);
      // The pool's use moves with load: a few queries at once hold several connections.
      await Promise.all(Array.from({ length: 6 }, () => p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/discussion` })));
      expect(sample(await scrape(), 'parley_db_pool_connections')).toBeGreaterThanOrEqual(2);
    }
    // Still the Redis metrics' registry: nothing of theirs shows on a node without Redis.
    expect(text).not.toContain('parley_redis_up');
    expect(json(await p.app.inject({ method: 'GET', url: '/healthz' }))).toEqual({ ok: true });
  });
});
