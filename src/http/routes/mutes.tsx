import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { messages } from '../../messages.js';
import type { Mutes } from '../../services/mutes.js';
import { errors, IdParams, SIGNED_IN, SIGNED_IN_WRITE } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

const MuteState = Type.Object({ userId: Type.Integer(), muted: Type.Boolean() });
const MutedList = Type.Object({
  mutes: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), mutedAt: Type.String({ format: 'date-time' }) })),
});

/** A reader's mutes: only ever their own, read and changed by themselves. */
export async function muteApiRoutes(app: TypedApp, opts: { mutes: Mutes }) {
  const { mutes } = opts;
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/me/mutes', {
    schema: {
      operationId: 'listMutes',
      tags: ['account'],
      security: SIGNED_IN,
      summary: 'The readers you muted, most recent first',
      response: { 200: MutedList, ...errors(401) },
    },
    handler: async (req) => ({
      mutes: (await mutes.list(req.actor)).map((r) => ({ id: r.userId, name: r.name, mutedAt: r.mutedAt.toISOString() })),
    }),
  });

  app.put('/me/mutes/:id', {
    schema: {
      operationId: 'muteReader',
      tags: ['account'],
      security: SIGNED_IN_WRITE,
      summary: 'Mute a reader (by user id): their comments collapse for you. They are not told',
      params: IdParams,
      response: { 200: MuteState, ...errors(400, 401, 404) },
    },
    handler: (req) => mutes.mute(req.actor, req.params.id),
  });

  app.delete('/me/mutes/:id', {
    schema: {
      operationId: 'unmuteReader',
      tags: ['account'],
      security: SIGNED_IN_WRITE,
      summary: 'Unmute a reader',
      params: IdParams,
      response: { 200: MuteState, ...errors(401) },
    },
    handler: (req) => mutes.unmute(req.actor, req.params.id),
  });
}

/** `/account`'s no-JS form to lift a mute; the list itself is drawn by the account page. */
export async function mutePageRoutes(app: TypedApp, opts: { mutes: Mutes }) {
  app.post('/account/unmute', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.actor) return reply.redirect('/signin?return=%2Faccount', 303);
    const raw = (req.body as Record<string, unknown> | undefined)?.userId;
    const id = typeof raw === 'string' && /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : null;
    if (id === null) throw new AppError(400, 'validation', messages.errors.validation);
    await opts.mutes.unmute(req.actor, id);
    return reply.redirect('/account?done=unmuted#mutes-heading', 303);
  });
}
