import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { REDACTED_PATHS, serializeRequest } from './log-redaction.js';

/**
 * The process's one logger: Fastify logs requests through a child of it and the services log
 * through it directly, so every line goes through the same redaction.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({ level: config.LOG_LEVEL, redact: REDACTED_PATHS, serializers: { req: serializeRequest } });
}

/** A proxy's or client's id is kept only when it is short and plain, so it cannot forge log lines or bloat them. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The request's id: the caller's `X-Request-Id` when it is acceptable (one trace across hops), else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}
