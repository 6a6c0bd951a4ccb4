import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { addVary, codingWeights, notModified } from './compression.js';
import { gzipPieces, joinPieces, type OwnBytes, type Piece } from './composed-gzip.js';

/**
 * Marks where a shared piece goes in a page rendered around it. Random, so no text a reader
 * wrote can stand for one.
 */
export const pieceMark = (name: string) => `\u2063${name}-${randomBytes(9).toString('base64url')}\u2063`;

/** A rendered page cut at its marks, each mark replaced by its pieces. */
export function fillMarks(html: string, fills: ReadonlyMap<string, Piece[]>): Piece[] {
  const out: Piece[] = [];
  let rest = html;
  for (const [mark, pieces] of fills) {
    const at = rest.indexOf(mark);
    if (at < 0) throw new Error('page rendered without a mark for a shared piece');
    out.push(Buffer.from(rest.slice(0, at)), ...pieces);
    rest = rest.slice(at + mark.length);
  }
  out.push(Buffer.from(rest));
  return out;
}

/**
 * Sends a page (or a page's JSON, as `type` says) made of pieces, each reader's own: as one gzip
 * stream of the shared pieces deflated once and the reader's deflated now, when the reader takes
 * gzip (every browser does; brotli streams cannot be joined), else whole and left to the reply's
 * own compression.
 * Revalidated on every view and answered 304 when unchanged, like every page.
 */
export function sendPieces(req: FastifyRequest, reply: FastifyReply, pieces: Piece[], own?: OwnBytes, type = 'text/html; charset=utf-8') {
  reply.type(type).header('cache-control', 'private, no-cache');
  addVary(reply, 'Accept-Encoding');
  if (codingWeights(req.headers['accept-encoding']).gzip > 0) {
    const { body, crc, length } = gzipPieces(pieces, own);
    const tag = `${crc.toString(36)}-${length.toString(36)}`;
    reply.header('etag', `"${tag}-gzip"`);
    if (notModified(req, `"${tag}"`)) return reply.status(304).send();
    return reply.header('content-encoding', 'gzip').send(body);
  }
  const { raw, crc } = joinPieces(pieces);
  const etag = `"${crc.toString(36)}-${raw.length.toString(36)}"`;
  reply.header('etag', etag);
  if (notModified(req, etag)) return reply.status(304).send();
  return reply.send(raw);
}
