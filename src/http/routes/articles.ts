import { Type } from '@sinclair/typebox';
import type { Discussions } from '../../services/discussion.js';
import type { Store } from '../../store/store.js';
import { Cursor, errors, Id, IdParams, Sort } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

/** Articles as JSON, and a discussion's whole initial state for clients that render it themselves. */
export async function articleRoutes(app: TypedApp, opts: { store: Pick<Store, 'articles'>; discussions: Discussions }) {
  const { store, discussions } = opts;

  app.get('/articles', {
    schema: {
      operationId: 'listArticles',
      tags: ['articles'],
      summary: 'Latest articles',
      response: {
        200: Type.Object({
          articles: Type.Array(
            Type.Object({
              id: Type.Integer(),
              slug: Type.String(),
              title: Type.String(),
              standfirst: Type.String(),
              author: Type.String(),
              publishedAt: Type.String(),
              commentPolicy: Type.String(),
              commentCount: Type.Integer(),
            }),
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
      operationId: 'getDiscussion',
      tags: ['articles'],
      summary: 'Everything a client needs to draw the discussion (viewer, permissions, first page)',
      params: IdParams,
      querystring: Type.Object({ sort: Sort, cursor: Type.Optional(Cursor), comment: Type.Optional(Id) }, { additionalProperties: false }),
      response: errors(400, 404),
    },
    handler: async (req, reply) => {
      const article = await discussions.article(req.params.id);
      const q = req.query;
      reply.header('cache-control', 'private, no-store');
      return discussions.state(article, req.actor, req.csrfToken, { sort: q.sort, cursor: q.cursor, focusCommentId: q.comment });
    },
  });
}
