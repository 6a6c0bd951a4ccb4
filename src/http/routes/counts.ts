import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { badRequest } from '../../domain/errors.js';
import { messages } from '../../messages.js';
import { CommentCounts } from '../../services/comment-counts.js';
import type { Database } from '../../store/schema.js';
import { embedOrigins } from '../embed-origins.js';
import { publisherScript } from '../publisher-script.js';
import { errors } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';
import { embedSlug } from '../../services/embedded-articles.js';

/** Articles one request may ask about; count.js splits longer lists. */
export const MAX_COUNT_KEYS = 50;

// The same shapes the embed accepts for an article's address and id.
const PageUrl = Type.String({
  minLength: 8,
  maxLength: 2000,
  pattern: '^https?://[^\\s/?#\\u0000-\\u001f\\u007f-\\u009f]+([/?#][^\\s\\u0000-\\u001f\\u007f-\\u009f]*)?$',
});
const Slug = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:/-]+$' });

const CountsQuery = Type.Object(
  {
    urls: Type.Optional(Type.Array(PageUrl, { maxItems: MAX_COUNT_KEYS, description: 'Article addresses; repeat the parameter for each' })),
    slugs: Type.Optional(Type.Array(Slug, { maxItems: MAX_COUNT_KEYS, description: "Article slugs, or the ids a publisher's pages give embed.js" })),
  },
  { additionalProperties: false },
);

/**
 * `GET /api/v1/counts` for publishers' listing pages (count.js), and count.js itself. Counts are
 * public, so answers may be cached by browsers and CDNs for 30 s; browsers let only the origins in
 * EMBED_ALLOWED_ORIGINS read them from another site, as with the embed.
 */
export async function countsRoutes(app: TypedApp, opts: { db: Kysely<Database>; config: Pick<Config, 'EMBED_ALLOWED_ORIGINS'> }) {
  publisherScript(app, 'count.js');
  const allowed = new Set(embedOrigins(opts.config));
  const counts = new CommentCounts(opts.db, { slugAliases: (slug) => [embedSlug(slug)] });

  const cors = (req: FastifyRequest, reply: FastifyReply) => {
    // The answer differs by Origin (the header is there or not), so shared caches must key on it.
    reply.header('vary', 'Origin');
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) reply.header('access-control-allow-origin', origin);
  };

  app.get('/api/v1/counts', {
    schema: {
      operationId: 'getCommentCounts',
      tags: ['counts'],
      summary: "Published-comment counts of articles, by address or slug, for a publisher's listing pages",
      querystring: CountsQuery,
      response: { 200: Type.Object({ counts: Type.Record(Type.String(), Type.Integer()) }), ...errors(400) },
    },
    handler: async (req, reply) => {
      cors(req, reply);
      const q = req.query;
      const urls = [...new Set(q.urls ?? [])];
      const slugs = [...new Set(q.slugs ?? [])];
      if (!urls.length && !slugs.length) throw badRequest('validation', messages.errors.counts_none);
      if (urls.length + slugs.length > MAX_COUNT_KEYS) throw badRequest('validation', messages.errors.counts_too_many(MAX_COUNT_KEYS));
      reply.header('cache-control', 'public, max-age=30');
      return { counts: await counts.counts(urls, slugs) };
    },
  });
}

/** count.js, a classic script publishers load from Parley's origin like embed.js. */
