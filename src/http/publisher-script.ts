import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { BUILT_PUBLIC_DIR } from '../paths.js';

/**
 * A classic script that publishers' pages load from a fixed address (`/embed.js`, `/count.js`):
 * read from the build once, loadable by any site, and cached only briefly because its address
 * never changes when it does.
 */
export function publisherScript(app: FastifyInstance, file: string): void {
  let js: string | null = null;
  app.get(`/${file}`, { schema: { hide: true } }, async (_req, reply) => {
    js ??= await readFile(join(BUILT_PUBLIC_DIR, file), 'utf8');
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(js);
  });
}
