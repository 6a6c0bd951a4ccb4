import { type Static, Type } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import { PassageSelectorsSchema } from '../../domain/views.js';
import type { Discussions } from '../../services/discussion.js';
import { GUEST_PAGE_STALE_MS } from '../../services/page-cache.js';
import { cachedBody, type EncodedBody, sendEncoded } from '../compression.js';
import { perIp, perReader } from '../limits.js';
import { sendPieces } from '../page-pieces.js';
import { ReaderJson } from '../reader-json.js';
import {
  AllReplies,
  CommentView,
  Cursor,
  errors,
  Id,
  IdParams,
  RepliesPage,
  SIGNED_IN_WRITE,
  Sort,
  ThreadPage,
  ThreadView,
  VoteResult,
  VoteValue,
} from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

const Body = (max: number) =>
  // The schema bounds the raw size; the service counts characters precisely and explains.
  Type.String({ maxLength: max * 4 + 1000 });

// Selectors for a passage of the article: the same schema gives the widget and tests their type.
const PassageSelectors = PassageSelectorsSchema;

/**
 * A client's name for one request it may send again (RFC draft "The Idempotency-Key HTTP Header
 * Field"): a retry with the same key gets the first answer instead of doing it twice.
 */
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' })),
});

/** The discussion API the widget uses: read pages and threads, post, edit, delete, vote. */
export async function commentRoutes(app: TypedApp, opts: { discussions: Discussions; config: Config }) {
  const { discussions: d, config } = opts;
  const postLimit = {
    max: config.POST_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    keyGenerator: (req: { actor: { user: { id: number } } | null; ip: string }) => (req.actor ? `u${req.actor.user.id}` : `ip${req.ip}`),
  };
  // Wider ceilings per IP beside the per-reader limits: one machine cycling through accounts.
  const postIpLimit = perIp(app, 'post', { max: config.POST_LIMIT_PER_MINUTE * config.IP_LIMIT_FACTOR, timeWindow: '1 minute' });
  const voteLimit = { max: config.VOTE_LIMIT_PER_MINUTE, timeWindow: '1 minute' };
  const voteIpLimit = perIp(app, 'vote', { max: voteLimit.max * config.IP_LIMIT_FACTOR, timeWindow: voteLimit.timeWindow });

  // Guests' pages as sent: serialized and compressed once per change of the article's discussion.
  const guestPages = d.derivedCache<EncodedBody>({ serveStaleMs: GUEST_PAGE_STALE_MS, refreshEveryMs: config.GUEST_PAGE_REFRESH_MS });
  // Signed-in readers' pages as sent: the threads they share with everyone written and deflated once.
  const readerJson = new ReaderJson();
  app.get('/articles/:id/comments', {
    schema: {
      operationId: 'listComments',
      tags: ['comments'],
      summary: 'A page of top-level comments with the first replies of each (all of them with `all`)',
      params: IdParams,
      querystring: Type.Object({ sort: Sort, cursor: Type.Optional(Cursor), all: AllReplies }, { additionalProperties: false }),
      response: { 200: ThreadPage, ...errors(400, 404) },
    },
    handler: async (req, reply) => {
      const q = req.query;
      const id = req.params.id;
      const all = q.all === '1';
      if (req.actor) {
        const page = await d.page(id, q.sort, q.cursor, req.actor, all);
        // Written by the route's own serializers, so the answer is what it would be written whole.
        const writePage = reply.getSerializationFunction('200');
        const pieces =
          writePage &&
          readerJson.pieces(page, d.sharedPageOf(page), {
            page: writePage as (p: Static<typeof ThreadPage>) => string,
            thread: reply.compileSerializationSchema(ThreadView) as (t: Static<typeof ThreadView>) => string,
          });
        return pieces ? sendPieces(req, reply, pieces, undefined, 'application/json; charset=utf-8') : page;
      }
      const body = await guestPages.get(id, `${q.sort}:${q.cursor ?? ''}:${all}`, async (servedMeanwhile) =>
        cachedBody(Buffer.from(JSON.stringify(await d.page(id, q.sort, q.cursor, null, all))), 'application/json; charset=utf-8', servedMeanwhile),
      );
      return sendEncoded(req, reply, body);
    },
  });

  app.get('/articles/:id/passages', {
    schema: {
      operationId: 'listPassageComments',
      tags: ['comments'],
      summary: 'Comments on passages of the article, in article order (Inline Feedbacks)',
      params: IdParams,
      response: { 200: Type.Object({ comments: Type.Array(CommentView) }), ...errors(404) },
    },
    handler: async (req) => ({ comments: await d.passages(req.params.id, req.actor) }),
  });

  app.get('/comments/:id/replies', {
    schema: {
      operationId: 'listReplies',
      tags: ['comments'],
      summary: 'The next replies of a thread',
      params: IdParams,
      querystring: Type.Object({ cursor: Cursor }, { additionalProperties: false }),
      response: { 200: RepliesPage, ...errors(400, 404) },
    },
    handler: (req) => d.moreReplies(req.params.id, req.query.cursor, req.actor),
  });

  app.get('/comments/:id/thread', {
    schema: {
      operationId: 'getThread',
      tags: ['comments'],
      summary: 'The thread holding a comment, for deep links',
      params: IdParams,
      response: { 200: ThreadView, ...errors(404) },
    },
    handler: (req) => d.threadOf(req.params.id, req.actor),
  });

  app.post('/articles/:id/comments', {
    config: { rateLimit: postLimit },
    preHandler: postIpLimit,
    schema: {
      operationId: 'postComment',
      tags: ['comments'],
      security: SIGNED_IN_WRITE,
      summary: 'Post a comment or a reply',
      description:
        'With an `Idempotency-Key`, a retry gets the first answer again, with `Idempotent-Replayed: true`; the same key with another body is refused (422).',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: Type.Object(
        { body: Body(config.MAX_COMMENT_LENGTH), parentId: Type.Optional(Type.Union([Id, Type.Null()])), anchor: Type.Optional(PassageSelectors) },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ comment: CommentView, commentCount: Type.Integer() }), ...errors(400, 401, 403, 404, 409, 422, 429) },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const key = req.headers['idempotency-key'] ?? null;
      const { replayed, ...out } = await d.post(req.actor, req.params.id, b.body, b.parentId ?? null, b.anchor ?? null, key);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(out);
    },
  });

  app.patch('/comments/:id', {
    config: { rateLimit: postLimit },
    schema: {
      operationId: 'editComment',
      tags: ['comments'],
      security: SIGNED_IN_WRITE,
      summary: 'Edit a comment (a new revision is kept)',
      params: IdParams,
      body: Type.Object({ body: Body(config.MAX_COMMENT_LENGTH) }, { additionalProperties: false }),
      response: { 200: Type.Object({ comment: CommentView }), ...errors(400, 401, 403, 404) },
    },
    handler: (req) => d.edit(req.actor, req.params.id, req.body.body),
  });

  app.delete('/comments/:id', {
    schema: {
      operationId: 'deleteComment',
      tags: ['comments'],
      security: SIGNED_IN_WRITE,
      summary: 'Delete a comment, leaving a placeholder for its replies',
      params: IdParams,
      response: { 200: Type.Object({ comment: CommentView, commentCount: Type.Integer() }), ...errors(401, 403, 404) },
    },
    handler: (req) => d.remove(req.actor, req.params.id),
  });

  app.put('/comments/:id/vote', {
    config: { rateLimit: perReader(voteLimit) },
    preHandler: voteIpLimit,
    schema: {
      operationId: 'voteOnComment',
      tags: ['comments'],
      security: SIGNED_IN_WRITE,
      summary: 'Set, change or retract (0) your vote',
      params: IdParams,
      body: Type.Object({ value: VoteValue }, { additionalProperties: false }),
      response: { 200: VoteResult, ...errors(400, 401, 403, 404, 429) },
    },
    handler: (req) => d.vote(req.actor, req.params.id, req.body.value),
  });
}
