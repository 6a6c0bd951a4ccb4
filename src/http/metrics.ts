import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry } from 'prom-client';
import type { RedisHealthHooks, RedisUse } from '../redis-link.js';

/** This process's metrics, served at GET /metrics in Prometheus' text format. */
export const registry = new Registry();

let redis: RedisHealthHooks | null = null;

/**
 * The Redis metrics, registered only on nodes configured with Redis: a `parley_redis_up 0` on a
 * node that has none would look like an outage. One set per process, as Prometheus scrapes it.
 */
export function redisMetrics(): RedisHealthHooks {
  if (redis) return redis;
  const up = new Gauge({ name: 'parley_redis_up', help: 'Whether this node can use Redis (1) or works without it (0): local rate limits, live readers woken by polling the database.', registers: [registry] });
  const fallbacks = new Counter({ name: 'parley_redis_fallbacks_total', help: 'Operations done without Redis because it was unusable: rate-limit checks counted locally, wake-ups not published.', labelNames: ['use'], registers: [registry] });
  for (const use of ['rate_limit', 'publish'] satisfies RedisUse[]) fallbacks.inc({ use }, 0);
  redis = {
    changed: (isUp) => up.set(isUp ? 1 : 0),
    fellBack: (use) => fallbacks.inc({ use }),
  };
  return redis;
}

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { config: { rateLimit: false }, schema: { hide: true } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
