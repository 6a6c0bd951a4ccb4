import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's headers (CSP, frame, referrer, sniffing) on every answer. Its Fastify plugin builds
 * helmet's middleware afresh on every request, parsing the whole policy each time: 7% of what a
 * cached guest page cost (bench/run.ts). Built once here, only the headers are set per request.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const apply = helmet(options);
  app.addHook('onRequest', (req, reply, done) => apply(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
}
