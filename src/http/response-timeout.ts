import type { FastifyInstance } from 'fastify';
import { messages } from '../messages.js';

/**
 * A backstop behind the database's statement and pool timeouts: whatever a request waits on, the
 * reader hears 503 within `ms`, not when a frozen dependency wakes up. Streams that hijack the
 * reply (live events) count as answered.
 */
export function registerResponseTimeout(app: FastifyInstance, ms: number): void {
  const timers = new WeakMap<object, NodeJS.Timeout>();
  app.addHook('onRequest', async (req, reply) => {
    const t = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      req.log.warn({ ms }, 'response timeout');
      void reply
        .status(503)
        .header('retry-after', '2')
        .send({ error: { code: 'timeout', message: messages.errors.request_timeout } });
    }, ms);
    t.unref();
    timers.set(req, t);
  });
  app.addHook('onResponse', async (req) => clearTimeout(timers.get(req)));
  app.addHook('onRequestAbort', async (req) => clearTimeout(timers.get(req)));
}
