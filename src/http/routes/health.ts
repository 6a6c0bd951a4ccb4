import type { Readiness } from '../readiness.js';
import type { TypedApp } from '../typed-app.js';

/** Liveness and readiness, outside the rate limits: probes call them every few seconds. */
export async function healthRoutes(app: TypedApp, opts: { readiness: Readiness }) {
  app.get('/healthz', { config: { rateLimit: false }, schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { config: { rateLimit: false }, schema: { hide: true } }, async (_req, reply) => {
    const report = await opts.readiness.report();
    return reply
      .status(report.serving ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  });
}
