import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RedisHealthHooks, RedisUse } from '../redis-link.js';
import { PageCache } from '../services/page-cache.js';

/** This process's metrics, served at GET /metrics in Prometheus' text format. */
export const registry = new Registry();

let redis: RedisHealthHooks | null = null;

/**
 * The Redis metrics, registered only on nodes configured with Redis: a `parley_redis_up 0` on a
 * node that has none would look like an outage. One set per process, as Prometheus scrapes it.
 */
export function redisMetrics(): RedisHealthHooks {
  if (redis) return redis;
  const up = new Gauge({
    name: 'parley_redis_up',
    help: 'Whether this node can use Redis (1) or works without it (0): local rate limits, live readers woken by polling the database.',
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'parley_redis_fallbacks_total',
    help: 'Operations done without Redis because it was unusable: rate-limit checks counted locally, wake-ups not published.',
    labelNames: ['use'],
    registers: [registry],
  });
  for (const use of ['rate_limit', 'publish'] satisfies RedisUse[]) fallbacks.inc({ use }, 0);
  redis = {
    changed: (isUp) => up.set(isUp ? 1 : 0),
    fellBack: (use) => fallbacks.inc({ use }),
  };
  return redis;
}

// Process-wide: CPU, memory, GC and event-loop delay (nodejs_eventloop_lag_*), read at scrape time.
collectDefaultMetrics({ register: registry });

/** Route patterns, not URLs, and status classes, not codes: the label sets stay few. */
const requestDuration = new Histogram({
  name: 'parley_http_request_duration_seconds',
  help: 'Time from a request arriving to its response being sent, by route pattern, method and status class. Live event streams count their whole life.',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Records one answered request; `route` is the matched pattern, undefined when no route matched. */
export function observeRequest(route: string | undefined, method: string, statusCode: number, seconds: number): void {
  requestDuration.observe(
    { route: route ?? 'unmatched', method: METHODS.has(method) ? method : 'other', status: `${Math.floor(statusCode / 100)}xx` },
    seconds,
  );
}

/** What one running Parley reports; read when Prometheus scrapes, never pushed. */
export interface MetricSources {
  liveListeners(): number;
  /** Mails waiting to be sent. */
  pendingMails(): Promise<number>;
  /** How long the longest-waiting due mail has been due; 0 when none is. */
  oldestDueMailAgeSeconds(): Promise<number>;
  /** Delivery attempts that failed since start: retried later, or given up for good. */
  mailFailures(): { retry: number; final: number };
  /** PostgreSQL's connection pool; null for SQLite, which has none. */
  databasePool(): { total: number; idle: number; waiting: number } | null;
}

// Several Parleys may run in one process (the tests do); the metrics sum over those attached.
const attached = new Set<MetricSources>();
/** Failures counted by Parleys already closed, so the counter never goes backwards. */
const retired = { retry: 0, final: 0 };

new Gauge({
  name: 'parley_live_listeners',
  help: 'Live (SSE) readers connected to this node.',
  registers: [registry],
  collect() {
    this.set(sum((s) => s.liveListeners()));
  },
});

new Gauge({
  name: 'parley_mail_pending',
  help: 'Mails queued and not yet sent, failed for good or skipped (the outbox backlog).',
  registers: [registry],
  async collect() {
    const counts = await readAll((s) => s.pendingMails());
    if (counts) this.set(counts.reduce((a, b) => a + b, 0));
  },
});

new Gauge({
  name: 'parley_mail_oldest_pending_age_seconds',
  help: 'How long the longest-waiting mail has been due and unsent (since it was queued, or since its retry time); 0 when nothing due waits. Digest items waiting for the digest hour do not count. A rising value means mail is stuck.',
  registers: [registry],
  async collect() {
    const ages = await readAll((s) => s.oldestDueMailAgeSeconds());
    if (ages) this.set(Math.max(0, ...ages));
  },
});

new Counter({
  name: 'parley_mail_failures_total',
  help: 'Mail delivery attempts that failed: outcome "retry" will be tried again, "final" was given up.',
  labelNames: ['outcome'],
  registers: [registry],
  collect() {
    this.reset();
    this.inc({ outcome: 'retry' }, retired.retry + sum((s) => s.mailFailures().retry));
    this.inc({ outcome: 'final' }, retired.final + sum((s) => s.mailFailures().final));
  },
});

/** Every attached Parley's answer, or null when a database cannot answer: the gauge keeps its last value, and /readyz reports the database. */
async function readAll(read: (s: MetricSources) => Promise<number>): Promise<number[] | null> {
  // prom-client starts every metric's collect at once; waiting a turn lets the pool gauges read
  // the pool before these queries queue for it, so a scrape does not report its own queries.
  await new Promise((r) => setImmediate(r));
  return Promise.all([...attached].map(read)).catch(() => null);
}

function sum(read: (s: MetricSources) => number): number {
  let n = 0;
  for (const s of attached) n += read(s);
  return n;
}

let poolGauges = false;
/** PostgreSQL pool gauges exist only once a PostgreSQL-backed Parley runs: SQLite has no pool. */
function registerPoolGauges(): void {
  if (poolGauges) return;
  poolGauges = true;
  const pools = () => [...attached].map((s) => s.databasePool()).filter((p) => p !== null);
  const gauge = (name: string, help: string, key: 'total' | 'idle' | 'waiting') =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pools().reduce((n, p) => n + p[key], 0));
      },
    });
  gauge('parley_db_pool_connections', 'Connections the PostgreSQL pool holds open.', 'total');
  gauge('parley_db_pool_idle_connections', 'Open PostgreSQL connections not in use.', 'idle');
  gauge(
    'parley_db_pool_waiting_requests',
    'Queries waiting for a free PostgreSQL connection; above 0 for long means the pool is too small or queries too slow.',
    'waiting',
  );
}

/** Reports `sources` until the returned function is called (on close). */
export function attachMetrics(sources: MetricSources): () => void {
  attached.add(sources);
  if (sources.databasePool()) registerPoolGauges();
  return () => {
    if (!attached.delete(sources)) return;
    const f = sources.mailFailures();
    retired.retry += f.retry;
    retired.final += f.final;
  };
}

// The page caches keep their own tallies; these counters read them.
for (const [name, help, key] of [
  ['parley_page_cache_hits_total', 'Anonymous discussion pages served from the page cache.', 'hits'],
  [
    'parley_page_cache_misses_total',
    'Anonymous discussion pages computed afresh: not cached, expired, or the cache bypassed while the live bus is down.',
    'misses',
  ],
] as const) {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(PageCache.stats[key]);
    },
  });
}

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { config: { rateLimit: false }, schema: { hide: true } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
