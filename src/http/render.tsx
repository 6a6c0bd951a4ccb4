import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Config } from '../config.js';
import { Layout } from '../render/pages/Layout.js';
import type { Accounts } from '../services/accounts.js';

export interface PageOptions {
  title: string;
  description?: string;
  scripts?: string[];
  status?: number;
}

/** Sends a whole server-rendered page inside the shared layout. */
export function sendPage(req: FastifyRequest, reply: FastifyReply, deps: { config: Config; accounts: Accounts }, opts: PageOptions, body: ComponentChildren) {
  const html = renderToString(
    <Layout
      title={opts.title}
      description={opts.description}
      publication={deps.config.PUBLICATION_NAME}
      viewer={req.actor ? deps.accounts.viewerInfo(req.actor) : null}
      csrfToken={req.csrfToken}
      returnPath={req.url}
      scripts={opts.scripts}
    >
      {body}
    </Layout>,
  );
  return reply
    .status(opts.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'private, no-cache')
    .send(`<!doctype html>${html}`);
}
