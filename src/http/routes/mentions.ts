import { Type } from '@sinclair/typebox';
import type { Discussions } from '../../services/discussion.js';
import { errors, Id, IdParams } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

const ParticipantsAnswer = Type.Object({
  participants: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), commentId: Type.Integer() })),
});

/** Whom `@` may name in a comment: the composer's suggestions while a reader types. */
export async function mentionRoutes(app: TypedApp, opts: { discussions: Discussions }) {
  app.get('/articles/:id/participants', {
    schema: {
      operationId: 'listParticipants',
      tags: ['comments'],
      summary: 'Readers with a published comment under the article whose name starts with `q`; those of the thread holding comment `thread` first',
      params: IdParams,
      querystring: Type.Object({ q: Type.String({ maxLength: 60 }), thread: Type.Optional(Id) }, { additionalProperties: false }),
      response: { 200: ParticipantsAnswer, ...errors(400, 404) },
    },
    handler: async (req) => {
      const list = await opts.discussions.participants(req.params.id, req.query.q.trim(), req.query.thread ?? null);
      return { participants: list.map((p) => ({ id: p.userId, name: p.name, commentId: p.commentId })) };
    },
  });
}
