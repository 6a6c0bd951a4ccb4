import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Config } from '../config.js';
import type { ViewerInfo } from '../domain/types.js';
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

/** Who the page is for, as the layout shows them. */
export interface PageReader {
  viewer: Pick<ViewerInfo, 'name' | 'role'> | null;
  csrfToken: string | null;
  returnPath: string;
}

/** A whole server-rendered page inside the shared layout, as HTML, for `reader`. */
export function renderFor(reader: PageReader, config: Config, opts: PageOptions, body: ComponentChildren): string {
  const html = renderToString(
    <Layout
      title={opts.title}
      description={opts.description}
      publication={config.PUBLICATION_NAME}
      viewer={reader.viewer}
      csrfToken={reader.csrfToken}
      returnPath={reader.returnPath}
      scripts={opts.scripts}
    >
      {body}
    </Layout>,
  );
  return `<!doctype html>${html}`;
}

/** A whole server-rendered page inside the shared layout, as HTML, for the request's reader. */
export function renderPage(req: FastifyRequest, deps: { config: Config; accounts: Accounts }, opts: PageOptions, body: ComponentChildren): string {
  const reader = { viewer: req.actor ? deps.accounts.viewerInfo(req.actor) : null, csrfToken: req.csrfToken, returnPath: opts.returnPath ?? req.url };
  return renderFor(reader, deps.config, opts, body);
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
