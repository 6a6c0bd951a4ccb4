import type { FastifyError, FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import { messages } from '../messages.js';
import { MessagePage } from '../render/pages/MessagePage.js';
import type { Accounts } from '../services/accounts.js';
import { sendPage } from './render.js';

/**
 * Form posts of the plugin this is called in answer a refusal (a stale CSRF token, a rate limit,
 * a malformed body) with a page, not the JSON the API speaks: a reader without JavaScript sees
 * what happened and a way on. Server faults and page loads go on to the JSON handler.
 */
export function formErrorPages(app: FastifyInstance, deps: { config: Config; accounts: Accounts }): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD') throw err;
    const e = err as FastifyError;
    const status = err instanceof AppError ? err.status : e.validation ? 400 : (e.statusCode ?? 500);
    if (status < 400 || status >= 500) throw err;
    if (err instanceof AppError) reply.headers(err.headers);
    const text = err instanceof AppError ? err.message : status === 413 ? messages.errors.body_too_large : messages.errors.validation;
    return sendPage(
      req,
      reply,
      deps,
      { title: messages.pages.formErrorHeading, status },
      <MessagePage heading={messages.pages.formErrorHeading}>
        <p role="alert">{text}</p>
        <p>
          <a href="/">{messages.pages.backHome}</a>
        </p>
      </MessagePage>,
    );
  });
}
