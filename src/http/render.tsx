import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Config } from '../config.js';
import { Layout } from '../render/pages/Layout.js';
import type { Accounts } from '../services/accounts.js';
import { etagOf, notModified } from './compression.js';

export interface PageOptions {
  title: string;
  description?: string;
  scripts?: string[];
  status?: number;
  /** Where sign-in brings the reader back to; the request's own address by default. */
  returnPath?: string;
}

/** A whole server-rendered page inside the shared layout, as HTML. */
export function renderPage(req: FastifyRequest, deps: { config: Config; accounts: Accounts }, opts: PageOptions, body: ComponentChildren): string {
  const html = renderToString(
    <Layout
      title={opts.title}
      description={opts.description}
      publication={deps.config.PUBLICATION_NAME}
      viewer={req.actor ? deps.accounts.viewerInfo(req.actor) : null}
      csrfToken={req.csrfToken}
      returnPath={opts.returnPath ?? req.url}
      scripts={opts.scripts}
    >
      {body}
    </Layout>,
  );
  return `<!doctype html>${html}`;
}

/**
 * Sends a whole server-rendered page inside the shared layout. Pages are revalidated on every
 * view (`no-cache`) and answered 304 when unchanged, so a reader coming back downloads nothing.
 */
export function sendPage(req: FastifyRequest, reply: FastifyReply, deps: { config: Config; accounts: Accounts }, opts: PageOptions, body: ComponentChildren) {
  const html = renderPage(req, deps, opts, body);
  const status = opts.status ?? 200;
  reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-cache');
  if (status === 200) {
    const etag = etagOf(html);
    reply.header('etag', etag);
    if (notModified(req, etag)) return reply.status(304).send();
  }
  return reply.status(status).send(html);
}
