import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorDetails } from '../domain/errors.js';
import { messages } from '../messages.js';
import { storageFault } from '../store/faults.js';

/** Long enough for a database restart or a pool reconnect, short enough that readers barely notice. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

const send = (code: string, message: string, details: ErrorDetails = {}) => ({ error: { ...details, code, message } });

/**
 * One place that turns every failure into `{error:{code,message}}`: a reader never sees a stack
 * trace, and the log keeps the detail of anything unexpected.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply
        .status(err.status)
        .headers(err.headers)
        .send(send(err.code, err.message, err.details));
    }
    const e = err as FastifyError;
    if (e.validation) {
      const where = e.validationContext ?? 'request';
      const first = e.validation[0];
      const field = first
        ? `${first.instancePath || ''}${first.params && 'additionalProperty' in first.params ? `/${String(first.params.additionalProperty)}` : ''}`
        : '';
      return reply.status(400).send(send('validation', `${messages.errors.validation} ${where}${field}: ${first?.message ?? 'invalid'}`));
    }
    if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (e.statusCode === 400 && e instanceof SyntaxError)) {
      return reply.status(400).send(send('bad_json', messages.errors.bad_json));
    }
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send(send('body_too_large', messages.errors.body_too_large));
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.status(415).send(send('unsupported_media_type', e.message));
    if (e.statusCode === 429) {
      return reply.status(429).send(send('rate_limited', e.message));
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send(send(e.code ? e.code.toLowerCase() : 'bad_request', e.message));
    }
    const fault = storageFault(err);
    if (fault === 'unavailable') {
      // A database restart or a lost connection: nothing was saved, and a retry in a moment works.
      req.log.warn({ code: (err as { code?: string }).code, reason: err.message }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send(send('database_unavailable', messages.errors.database_unavailable));
    }
    if (fault === 'full') {
      // 507: the request was fine and was not saved; the log names the real cause for the operator.
      req.log.error({ err }, 'storage full: write refused');
      return reply.status(507).send(send('storage_full', messages.errors.storage_full));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(send('internal', messages.errors.internal));
  });

  app.setNotFoundHandler((_req, reply) => {
    reply.status(404).send(send('not_found', messages.errors.not_found));
  });
}
