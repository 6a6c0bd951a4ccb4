import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../domain/errors.js';
import { messages } from '../messages.js';
import { setAssetVersions } from '../render/assets.js';
import { EncodedBody, sendEncoded } from './compression.js';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Addresses without a hash (embed.js on publishers' pages, old links): kept an hour, then revalidated. */
const REVALIDATED = 'public, max-age=3600';

interface Asset {
  body: EncodedBody;
  version: string;
}

function walk(dir: string, root: string, into: Map<string, Asset>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(full, root, into);
      continue;
    }
    const name = relative(root, full).split(sep).join('/');
    // The first folder holding a name wins, as with the static plugin this replaces.
    if (into.has(name) || !entry.isFile()) continue;
    const raw = readFileSync(full);
    const type = TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
    into.set(name, { body: new EncodedBody(raw, type, 'once'), version: createHash('sha256').update(raw).digest('base64url').slice(0, 12) });
  }
}

/**
 * Serves /static/ from memory: the files are small and few, so each is read, hashed and (on the
 * first request for each coding) compressed once at the highest setting, never per request.
 * Pages link them as `?v=<hash>` (src/render/assets.ts), served immutable; esbuild's chunks
 * carry their hash in their name and are immutable too.
 */
export async function staticAssets(app: FastifyInstance, opts: { dirs: string[] }) {
  const files = new Map<string, Asset>();
  for (const dir of opts.dirs) if (existsSync(dir)) walk(dir, dir, files);
  setAssetVersions(new Map([...files].map(([name, a]) => [name, a.version])));

  app.get('/static/*', { schema: { hide: true, querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) }) } }, async (req, reply) => {
    const name = (req.params as { '*': string })['*'];
    const file = files.get(name);
    if (!file) throw notFound('not_found', messages.errors.not_found);
    const v = (req.query as { v?: string }).v;
    // A hash that is not this file's (a page from before a deploy) must not be kept a year under that name.
    const hashed = v === file.version || (name.startsWith('chunks/') && v === undefined);
    reply.header('cache-control', hashed ? IMMUTABLE : REVALIDATED);
    return sendEncoded(req, reply, file.body);
  });
}
