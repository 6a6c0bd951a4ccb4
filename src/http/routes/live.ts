import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { messages } from '../../messages.js';
import type { Discussions } from '../../services/discussion.js';
import type { LiveHub, LiveEvent } from '../../services/live.js';
import { errors, IdParams } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

const HEARTBEAT_MS = 25_000;
/** How soon a browser reconnects after the server ended its stream on purpose. */
const RECONNECT_HINT_MS = 1000;

function endWithRetry(res: ServerResponse): void {
  if (res.writableEnded) return;
  res.end(`retry: ${RECONNECT_HINT_MS}\n\n`);
}

/**
 * Server-Sent Events for one article's discussion. A connection costs one socket and a timer:
 * nothing is computed for it until something happens under its article.
 */
export async function liveRoutes(app: TypedApp, opts: { hub: LiveHub; discussions: Discussions; config: Config }) {
  const { hub, discussions, config } = opts;
  // Open streams per IP: the per-minute limit alone lets one machine pile up sockets for ever.
  const open = new Map<string, number>();
  const streams = new Set<ServerResponse>();
  // On shutdown each stream ends with a short retry hint, so browsers reconnect (to another node)
  // at once and resume from their Last-Event-ID instead of seeing a reset connection.
  app.addHook('preClose', async () => {
    for (const res of streams) endWithRetry(res);
    streams.clear();
  });
  app.get('/articles/:id/events', {
    config: { rateLimit: { max: config.LIVE_CONNECTS_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      operationId: 'streamArticleEvents',
      tags: ['live'],
      summary: 'Live discussion events (text/event-stream); resume with Last-Event-ID',
      params: IdParams,
      querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
      response: errors(400, 404, 429),
    },
    handler: async (req, reply) => {
      const articleId = req.params.id;
      await discussions.article(articleId);
      const header = req.headers['last-event-id'];
      const after = header ? Number(header) : (req.query.after ?? 0);
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
      let leave = () => {};
      const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      streams.add(res);
      req.raw.on('close', () => {
        clearInterval(beat);
        streams.delete(res);
        leave();
      });
      try {
        leave = await hub.join(articleId, {
          lastId: after,
          send: write,
          reset: () => res.write('event: reset\ndata: {}\n\n'),
        });
      } catch (err) {
        // The headers are out, so no error status can follow: end the stream and let the
        // browser come back (with its Last-Event-ID) instead of hanging on a silent stream.
        req.log.warn({ err }, 'live stream could not start; client will reconnect');
        endWithRetry(res);
      }
    },
  });
}
