import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Discussions } from '../../services/discussion.js';
import { CommentView, Cursor, errors, Id, IdParams, Sort, ThreadPage, ThreadView, VoteValue } from '../schemas.js';

const Body = (max: number) =>
  // The schema bounds the raw size; the service counts characters precisely and explains.
  Type.String({ maxLength: max * 4 + 1000 });

/** The discussion API the widget uses: read pages and threads, post, edit, delete, vote. */
export async function commentRoutes(app: FastifyInstance, opts: { discussions: Discussions; config: Config }) {
  const { discussions: d, config } = opts;
  const postLimit = {
    max: config.POST_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    keyGenerator: (req: { actor: { user: { id: number } } | null; ip: string }) => (req.actor ? `u${req.actor.user.id}` : `ip${req.ip}`),
  };

  app.get('/articles/:id/comments', {
    schema: {
      summary: 'A page of top-level comments with the first replies of each',
      params: IdParams,
      querystring: Type.Object({ sort: Sort, cursor: Type.Optional(Cursor) }, { additionalProperties: false }),
      response: { 200: ThreadPage, ...errors(400, 404) },
    },
    handler: (req) => {
      const q = req.query as { sort: 'top' | 'newest' | 'oldest'; cursor?: string };
      return d.page((req.params as { id: number }).id, q.sort, q.cursor, req.actor);
    },
  });

  app.get('/comments/:id/replies', {
    schema: {
      summary: 'The next replies of a thread',
      params: IdParams,
      querystring: Type.Object({ cursor: Cursor }, { additionalProperties: false }),
      response: { 200: Type.Object({ replies: Type.Array(CommentView), repliesCursor: Type.Union([Type.String(), Type.Null()]), moreReplies: Type.Integer() }), ...errors(400, 404) },
    },
    handler: (req) => d.moreReplies((req.params as { id: number }).id, (req.query as { cursor: string }).cursor, req.actor),
  });

  app.get('/comments/:id/thread', {
    schema: { summary: 'The thread holding a comment, for deep links', params: IdParams, response: { 200: ThreadView, ...errors(404) } },
    handler: (req) => d.threadOf((req.params as { id: number }).id, req.actor),
  });

  app.post('/articles/:id/comments', {
    config: { rateLimit: postLimit },
    schema: {
      summary: 'Post a comment or a reply',
      params: IdParams,
      body: Type.Object({ body: Body(config.MAX_COMMENT_LENGTH), parentId: Type.Optional(Type.Union([Id, Type.Null()])) }, { additionalProperties: false }),
      response: { 201: Type.Object({ comment: CommentView, commentCount: Type.Integer() }), ...errors(400, 401, 403, 404, 429) },
    },
    handler: async (req, reply) => {
      const b = req.body as { body: string; parentId?: number | null };
      const out = await d.post(req.actor, (req.params as { id: number }).id, b.body, b.parentId ?? null);
      return reply.status(201).send(out);
    },
  });

  app.patch('/comments/:id', {
    config: { rateLimit: postLimit },
    schema: {
      summary: 'Edit a comment (a new revision is kept)',
      params: IdParams,
      body: Type.Object({ body: Body(config.MAX_COMMENT_LENGTH) }, { additionalProperties: false }),
      response: { 200: Type.Object({ comment: CommentView }), ...errors(400, 401, 403, 404) },
    },
    handler: (req) => d.edit(req.actor, (req.params as { id: number }).id, (req.body as { body: string }).body),
  });

  app.delete('/comments/:id', {
    schema: {
      summary: 'Delete a comment, leaving a placeholder for its replies',
      params: IdParams,
      response: { 200: Type.Object({ comment: CommentView, commentCount: Type.Integer() }), ...errors(401, 403, 404) },
    },
    handler: (req) => d.remove(req.actor, (req.params as { id: number }).id),
  });

  app.put('/comments/:id/vote', {
    schema: {
      summary: 'Set, change or retract (0) your vote',
      params: IdParams,
      body: Type.Object({ value: VoteValue }, { additionalProperties: false }),
      response: { 200: Type.Object({ up: Type.Integer(), down: Type.Integer(), score: Type.Integer(), myVote: VoteValue }), ...errors(400, 401, 403, 404) },
    },
    handler: (req) => d.vote(req.actor, (req.params as { id: number }).id, (req.body as { value: -1 | 0 | 1 }).value),
  });
}
