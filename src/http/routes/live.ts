import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { messages } from '../../messages.js';
import type { Discussions } from '../../services/discussion.js';
import type { LiveHub, LiveEvent } from '../../services/live.js';
import { errors, IdParams } from '../schemas.js';

const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events for one article's discussion. A connection costs one socket and a timer:
 * nothing is computed for it until something happens under its article.
 */
export async function liveRoutes(app: FastifyInstance, opts: { hub: LiveHub; discussions: Discussions; config: Config }) {
  const { hub, discussions, config } = opts;
  // Open streams per IP: the per-minute limit alone lets one machine pile up sockets for ever.
  const open = new Map<string, number>();
  app.get('/articles/:id/events', {
    config: { rateLimit: { max: config.LIVE_CONNECTS_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      summary: 'Live discussion events (text/event-stream); resume with Last-Event-ID',
      params: IdParams,
      querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
      response: errors(400, 404, 429),
    },
    handler: async (req, reply) => {
      const articleId = (req.params as { id: number }).id;
      await discussions.article(articleId);
      const header = req.headers['last-event-id'];
      const after = header ? Number(header) : ((req.query as { after?: number }).after ?? 0);
      const held = open.get(req.ip) ?? 0;
      if (held >= config.LIVE_CONNECTIONS_PER_IP) throw new AppError(429, 'too_many_streams', messages.errors.too_many_streams, { 'retry-after': '60' });
      open.set(req.ip, held + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const n = (open.get(req.ip) ?? 1) - 1;
        if (n > 0) open.set(req.ip, n);
        else open.delete(req.ip);
      };
      req.raw.once('close', release);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // Tell proxies such as nginx not to buffer the stream.
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      const write = (events: LiveEvent[]) => {
        for (const e of events) res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ comment: e.comment, commentCount: e.commentCount })}\n\n`);
      };
      const leave = await hub.join(articleId, {
        lastId: after,
        send: write,
        reset: () => res.write('event: reset\ndata: {}\n\n'),
      });
      const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      req.raw.on('close', () => {
        clearInterval(beat);
        leave();
      });
    },
  });
}
