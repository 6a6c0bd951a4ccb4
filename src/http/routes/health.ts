import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../readiness.js';

/** Liveness and readiness, outside the rate limits: probes call them every few seconds. */
export async function healthRoutes(app: FastifyInstance, opts: { readiness: Readiness }) {
  app.get('/healthz', { config: { rateLimit: false }, schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { config: { rateLimit: false }, schema: { hide: true } }, async (_req, reply) => {
    const report = await opts.readiness.report();
    return reply
      .status(report.serving ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  });
}
