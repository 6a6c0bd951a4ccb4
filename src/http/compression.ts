import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Lru } from '../services/lru.js';

export type Encoding = 'br' | 'gzip';

/**
 * The coding to send for an Accept-Encoding header: brotli or gzip, whichever the client ranks
 * higher (brotli on a tie: it is smaller), or null for the body as is. `q=0` refuses a coding;
 * `*` stands for every coding the header does not name.
 */
export function preferredEncoding(header: string | string[] | undefined): Encoding | null {
  const { br, gzip } = codingWeights(header);
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? 'br' : 'gzip';
}

/** Longer questions are answered each time, so no client can fill a memo with large keys. */
const MEMO_UP_TO = 256;

/** `make()`, kept in `memo` under `key` when the key is short: headers recur, and every answer asks. */
function remembered<V>(memo: Lru<string, V>, key: string, make: () => V): V {
  if (key.length > MEMO_UP_TO) return make();
  let value = memo.get(key);
  if (value === undefined) {
    value = make();
    memo.set(key, value);
  }
  return value;
}

const NONE: Readonly<Record<Encoding, number>> = Object.freeze({ br: 0, gzip: 0 });
/** Headers parsed, by value: browsers send a handful, and parsing was 1.5% of a guest page's CPU. */
const weighed = new Lru<string, Readonly<Record<Encoding, number>>>(256);

/** How much the client wants each coding we make (0: refused or not named). */
export function codingWeights(header: string | string[] | undefined): Readonly<Record<Encoding, number>> {
  if (!header) return NONE;
  const value = String(header);
  return remembered(weighed, value, () => parseWeights(value));
}

function parseWeights(header: string): Readonly<Record<Encoding, number>> {
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    if (Number.isFinite(weight)) q.set(name, weight);
  }
  const star = q.get('*');
  return Object.freeze({ br: q.get('br') ?? star ?? 0, gzip: q.get('gzip') ?? q.get('x-gzip') ?? star ?? 0 });
}

/** A Vary header with `value` added, or null when it names it already (or `*`). */
function varyWith(prev: string, value: string): string | null {
  const list = prev
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.includes('*') || list.some((v) => v.toLowerCase() === value.toLowerCase())) return null;
  return [...list, value].join(', ');
}

/** What varyWith gave, by its question: a few Vary headers recur on every answer (a guest's page adds to the meter's). */
const varies = new Lru<string, string | null>(64);

/** Adds `value` to the reply's Vary header unless it is there already. */
export function addVary(reply: FastifyReply, value: string): void {
  const prev = reply.getHeader('vary');
  if (prev === undefined) {
    reply.header('vary', value);
    return;
  }
  const next = remembered(varies, `${String(prev)}\n${value}`, () => varyWith(String(prev), value));
  if (next !== null) reply.header('vary', next);
}

/** How hard to compress: bodies compressed once and sent many times can afford more than a single answer. */
export type Effort = 'once' | 'cached' | 'fast';
// 'fast' is measured on a 110 KB page: brotli 3 takes 0.8 ms (4: 1.4 ms) for 5% more bytes.
const BROTLI_QUALITY: Record<Effort, number> = { once: 11, cached: 6, fast: 3 };
const GZIP_LEVEL: Record<Effort, number> = { once: 9, cached: 6, fast: 3 };

const brotliParams = (raw: Buffer, effort: Effort) => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY[effort], [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
});

export function compress(raw: Buffer, enc: Encoding, effort: Effort): Buffer {
  return enc === 'br' ? brotliCompressSync(raw, brotliParams(raw, effort)) : gzipSync(raw, { level: GZIP_LEVEL[effort] });
}

const brotliAsync = promisify(brotliCompress);

/** As compress to brotli, on libuv's thread pool: the event loop goes on serving meanwhile. */
function brotliOffLoop(raw: Buffer, effort: Effort): Promise<Buffer> {
  return brotliAsync(raw, brotliParams(raw, effort));
}

/** A strong validator for a body: a hash of its bytes. */
export function etagOf(raw: Buffer | string): string {
  return `"${createHash('sha1').update(raw).digest('base64url')}"`;
}

/** Whether If-None-Match names this body, in any of its codings (`"h"`, `"h-br"`, `"h-gzip"`, or W/ of them). */
export function notModified(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const base = etag.slice(1, -1);
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || tag === `"${base}-br"` || tag === `"${base}-gzip"`;
  });
}

/**
 * A cached body still sent this long after it was made has outlived a hot thread's burst of
 * comments (pages are rendered again at most every GUEST_PAGE_REFRESH_MS): it is then worth
 * brotli's smallest output. Brotli 11 takes about 40 ms on a 48 KB page, against 1.4 ms for the
 * brotli 6 it is first sent as, and makes it 15% smaller.
 */
const SMALLEST_AFTER_MS = 2000;

/**
 * A body sent many times (a static file, a cached guest page): its hash and its compressed forms
 * are computed once, the first time a reader asks for each, and kept with it. A cached body that
 * lasts is compressed again as small as brotli can, off the event loop, and sent so from then on.
 */
export class EncodedBody {
  readonly etag: string;
  private readonly variants: Partial<Record<Encoding, Buffer>> = {};
  private readonly made = Date.now();
  private smallest: Promise<void> | null = null;

  constructor(
    readonly raw: Buffer,
    readonly type: string,
    private readonly effort: Effort = 'cached',
  ) {
    this.etag = etagOf(raw);
  }

  /** The body in `enc`, or null when compressing does not pay (tiny bodies, images). */
  variant(enc: Encoding): Buffer | null {
    if (!this.worthCompressing()) return null;
    const made = (this.variants[enc] ??= compress(this.raw, enc, this.effort));
    if (enc === 'br' && this.effort === 'cached' && !this.smallest && Date.now() - this.made >= SMALLEST_AFTER_MS) this.smallest = this.shrink(made);
    return made;
  }

  /**
   * Makes the brotli form now, off the event loop. For a page that replaces one readers are
   * served while it is made (a hot thread's, rendered a few times a second): the first reader to
   * ask for it does not hold the event loop for a millisecond or more while it is compressed.
   * Brotli, as every browser asks for it; gzip is made on first ask, as for any body. Harder
   * brotli here did not pay: on a server given one core, brotli 10 (15 ms on the demo page, for
   * 12% fewer bytes than 6) cost more CPU per read in a hot thread than its smaller pages saved.
   * A failure leaves the form to be made on first ask.
   */
  async compressAhead(): Promise<void> {
    if (!this.worthCompressing()) return;
    await brotliOffLoop(this.raw, this.effort).then(
      (made) => void (this.variants.br ??= made),
      () => {},
    );
  }

  private worthCompressing(): boolean {
    return this.raw.length >= COMPRESS_MIN_BYTES && compressible(this.type);
  }

  // The same content in the same coding, so its validator stays: a reader holding either gets a 304.
  private shrink(current: Buffer): Promise<void> {
    return brotliOffLoop(this.raw, 'once').then(
      (smaller) => {
        if (smaller.length < current.length) this.variants.br = smaller;
      },
      () => {},
    );
  }

  /** Settles once a smaller brotli form begun in the background is in place, or at once when none was begun. */
  async shrunk(): Promise<void> {
    await this.smallest;
  }
}

/**
 * A guest page or JSON page for the page cache (src/services/page-cache.ts): compressed ahead
 * when readers are given the version it replaces while it is made, else on first ask (its first
 * reader waits for it either way).
 */
export async function cachedBody(raw: Buffer, type: string, servedMeanwhile: boolean): Promise<EncodedBody> {
  const body = new EncodedBody(raw, type);
  if (servedMeanwhile) await body.compressAhead();
  return body;
}

/** Below this, compressing saves less than it costs. */
export const COMPRESS_MIN_BYTES = 1024;

export const compressible = (type: string) => /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/i.test(type);

/**
 * Sends a prepared body: 304 when the reader holds it already, else its best coding for this
 * reader, already made. Headers set before (cookies, Cache-Control) go out with either answer.
 */
export function sendEncoded(req: FastifyRequest, reply: FastifyReply, body: EncodedBody, status = 200) {
  const enc = preferredEncoding(req.headers['accept-encoding']);
  const data = enc ? body.variant(enc) : null;
  if (compressible(body.type)) addVary(reply, 'Accept-Encoding');
  const etag = data ? `"${body.etag.slice(1, -1)}-${enc}"` : body.etag;
  reply.header('etag', etag);
  if (status === 200 && notModified(req, body.etag)) return reply.status(304).send();
  reply.status(status).type(body.type);
  if (data) reply.header('content-encoding', enc!);
  return reply.send(data ?? body.raw);
}

/**
 * Compresses other answers (JSON, pages not kept in a cache) on the way out, quickly: each is
 * made for one request. Streams (live events) and bodies already encoded are left alone.
 */
export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode === 204 || reply.statusCode === 304 || req.method === 'HEAD') return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!compressible(type) || reply.hasHeader('content-encoding')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    addVary(reply, 'Accept-Encoding');
    const raw = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (raw.length < COMPRESS_MIN_BYTES) return payload;
    const enc = preferredEncoding(req.headers['accept-encoding']);
    if (!enc) return payload;
    reply.header('content-encoding', enc);
    reply.removeHeader('content-length');
    // Each coding is its own representation, so a strong validator names the coding too.
    const etag = reply.getHeader('etag');
    if (typeof etag === 'string' && etag.startsWith('"')) reply.header('etag', `"${etag.slice(1, -1)}-${enc}"`);
    return compress(raw, enc, 'fast');
  });
}
