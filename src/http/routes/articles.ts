import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SortOrder } from '../../domain/types.js';
import type { Discussions } from '../../services/discussion.js';
import type { Store } from '../../store/store.js';
import { Cursor, errors, Id, IdParams, Sort } from '../schemas.js';

/** Articles as JSON, and a discussion's whole initial state for clients that render it themselves. */
export async function articleRoutes(app: FastifyInstance, opts: { store: Pick<Store, 'articles'>; discussions: Discussions }) {
  const { store, discussions } = opts;

  app.get('/articles', {
    schema: {
      summary: 'Latest articles',
      response: {
        200: Type.Object({
          articles: Type.Array(
            Type.Object({ id: Type.Integer(), slug: Type.String(), title: Type.String(), standfirst: Type.String(), author: Type.String(), publishedAt: Type.String(), commentPolicy: Type.String(), commentCount: Type.Integer() }),
          ),
        }),
      },
    },
    handler: async () => ({
      articles: (await store.articles.list(100)).map((a) => ({ ...a, publishedAt: a.publishedAt.toISOString() })),
    }),
  });

  app.get('/articles/:id/discussion', {
    schema: {
      summary: 'Everything a client needs to draw the discussion (viewer, permissions, first page)',
      params: IdParams,
      querystring: Type.Object({ sort: Sort, cursor: Type.Optional(Cursor), comment: Type.Optional(Id) }, { additionalProperties: false }),
      response: errors(400, 404),
    },
    handler: async (req, reply) => {
      const article = await discussions.article((req.params as { id: number }).id);
      const q = req.query as { sort: SortOrder; cursor?: string; comment?: number };
      reply.header('cache-control', 'private, no-store');
      return discussions.state(article, req.actor, req.csrfToken, q.sort, q.cursor, q.comment ?? null);
    },
  });
}
