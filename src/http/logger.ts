import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { serializeRequest, serializeResponse } from './log-redaction.js';

const ignore = () => {};

/** Log lines wait for this many bytes, or LOG_FLUSH_MS, before they are written together. */
export const LOG_BUFFER_BYTES = 4096;
export const LOG_FLUSH_MS = 250;

/**
 * The process's one logger: Fastify logs requests through a child of it and the services log
 * through it directly, so every line goes through the same serializers, which write out no
 * header (log-redaction.ts).
 *
 * Lines go to standard output in writes of about 4 KB, at least every LOG_FLUSH_MS, instead of
 * one write per line that the event loop waits for. At `info`, the default, the access log wrote
 * two lines a request so, and the guest's article page cost 0.101 ms of CPU against 0.056 at
 * `warn`; with one line a request (OneLinePerRequest) written in batches, 0.079.
 * A warning or error is written at once (or just after a write under way), and pino writes out
 * what is left when the process exits, on a signal or an uncaught error too; a `kill -9` can lose
 * the last LOG_FLUSH_MS of lines.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  // Nothing to write: no buffer, and no timer to flush it (tests make many of these).
  if (config.LOG_LEVEL === 'silent') return pino({ level: 'silent' });
  const out = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS });
  // A log that cannot be written (a full disk under a redirected stdout) must not end the node.
  out.on('error', () => {});
  return pino(
    {
      level: config.LOG_LEVEL,
      serializers: { req: serializeRequest, res: serializeResponse },
      hooks: {
        logMethod(args, method, level) {
          method.apply(this, args);
          // With a callback, a stream already ended (the process exiting) is not an error thrown here.
          if (level >= pino.levels.values.warn!) out.flush(ignore);
        },
      },
    },
    out,
  );
}

/**
 * Fastify's request lines, one a request: Fastify writes "incoming request" when a request arrives
 * and "request completed" when it is answered, two lines where one, written when the request is
 * answered with the request's fields in it, says it all. Its other lines (a stream's error, a
 * failed write of headers) are written as Fastify writes them. A route not found is the 404's
 * own line: Fastify's would write its URL as it came, secret parameters and all.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

/** A proxy's or client's id is kept only when it is short and plain, so it cannot forge log lines or bloat them. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The request's id: the caller's `X-Request-Id` when it is acceptable (one trace across hops), else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}
