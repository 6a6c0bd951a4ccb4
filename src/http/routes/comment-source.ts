import { Type } from '@sinclair/typebox';
import { notFound } from '../../domain/errors.js';
import { denialError } from '../../domain/permissions.js';
import { messages } from '../../messages.js';
import type { Store } from '../../store/store.js';
import { errors, IdParams, SIGNED_IN } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

/**
 * A comment's source text, for its author's editor. Pages carry each body once, as HTML; the
 * source is asked for only when the author opens the editor, so it never rides along for readers.
 */
export async function commentSourceRoutes(app: TypedApp, opts: { store: Store }) {
  app.get('/comments/:id/source', {
    schema: {
      operationId: 'getCommentSource',
      tags: ['comments'],
      security: SIGNED_IN,
      summary: "A comment's source text, for its author's editor",
      params: IdParams,
      response: { 200: Type.Object({ body: Type.String() }), ...errors(401, 403, 404) },
    },
    handler: async (req, reply) => {
      if (!req.actor) throw denialError('unauthenticated');
      const c = await opts.store.comments.byId(req.params.id);
      // Another reader's comment (pending or not) is none of this reader's business: not found either way.
      if (!c || c.status === 'rejected' || c.status === 'deleted' || c.authorId !== req.actor.user.id)
        throw notFound('comment_not_found', messages.errors.comment_not_found);
      reply.header('cache-control', 'private, no-store');
      return { body: c.bodySrc };
    },
  });
}
