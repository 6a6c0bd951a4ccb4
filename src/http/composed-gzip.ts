import { constants, crc32, deflateRawSync, type ZlibOptions } from 'node:zlib';
import { KeptWhenSeenTwice } from '../services/lru.js';
import { crc32Combine, crc32Shift } from './crc32-combine.js';

/** Deflate looks back at most this far: a piece's dictionary is the stream's last 32 KB before it. */
const WINDOW = 32 * 1024;
const SHARED: ZlibOptions = { level: 9, finishFlush: constants.Z_SYNC_FLUSH };
const OWN: ZlibOptions = { level: 1, finishFlush: constants.Z_SYNC_FLUSH };

const tail = (b: Buffer, n = WINDOW) => (b.length > n ? b.subarray(b.length - n) : b);

/** How many streams-so-far a piece keeps itself deflated after: readers whose names differ in length make different ones. */
const HISTORIES = 6;
let count = 0;

/**
 * A piece of many pages (an article's text, the threads every reader of a kind sees), deflated
 * once. Each piece ends on a byte boundary (a sync flush, not a final block), so pieces deflated
 * apart follow one another in one gzip stream: a page made of shared pieces and a few of its
 * own is compressed in the time it takes to compress its own.
 *
 * Deflated alone, a piece cannot refer back to what precedes it on the page, which compressing the
 * page whole would: the page came out 17% bigger. So a piece also keeps itself deflated after the
 * streams-so-far it is seen following twice (a page's pieces before it, and the length of each
 * reader's own piece among them), with those bytes as its dictionary and zero bytes standing for
 * the readers' own: HTML and JSON text hold no zero byte, so no match can reach into a reader's
 * bytes, and every distance is right whatever those bytes are.
 */
export class Deflated {
  readonly deflated: Buffer;
  /** Its checksum, and what appending it multiplies a checksum by (crc32-combine.ts): a page's checksum then never reads it again. */
  readonly crc: number;
  readonly crcShift: number;
  /** Names it in a stream-so-far (see gzipPieces). */
  readonly id = (count++).toString(36);
  /** Text with a zero byte (never rendered, but nothing else guarantees it) only ever goes deflated alone. */
  private readonly refersBack: boolean;
  /** Itself deflated after each stream-so-far seen twice (as CommonRuns keeps runs). */
  private readonly after = new KeptWhenSeenTwice<Buffer>(HISTORIES, HISTORIES * 2);

  constructor(readonly raw: Buffer) {
    this.deflated = deflateRawSync(raw, SHARED);
    this.crc = crc32(raw);
    this.crcShift = crc32Shift(raw.length);
    this.refersBack = !raw.includes(0);
  }

  /** Its deflated bytes where the stream so far is the one `history` names; `dictionary` gives that stream's last bytes, readers' own zeroed. */
  following(history: string, dictionary: () => Buffer): Buffer {
    if (!history || !this.refersBack) return this.deflated;
    // Seen once, it may never be again (a reader whose name is the only one of its length): not worth a deflate.
    return this.after.get(history, () => deflateRawSync(this.raw, { ...SHARED, dictionary: dictionary() })) ?? this.deflated;
  }
}

/** A page as its pieces: shared ones deflated already, the reader's own as they are. */
export type Piece = Deflated | Buffer;

const rawOf = (p: Piece) => (p instanceof Deflated ? p.raw : p);

// ID1 ID2, deflate, no flags, no time, no extra flags, unknown OS (RFC 1952).
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
// An empty final block with fixed codes: ends the deflate stream.
const LAST_BLOCK = Buffer.from([0x03, 0x00]);

/** The page's bytes as they are, with a checksum and length that name them. */
export function joinPieces(pieces: Piece[]): { raw: Buffer; crc: number } {
  const raw = Buffer.concat(pieces.map(rawOf));
  return { raw, crc: crc32(raw) };
}

/** Of the stream so far, what a reader's own piece may refer back to (see gzipPieces). */
const OWN_HISTORY = 2048;

/** The last `n` bytes of the stream so far, from the raw pieces written, newest last. */
function lastBytes(raws: Buffer[], n: number): Buffer {
  const parts: Buffer[] = [];
  let got = 0;
  for (let i = raws.length - 1; i >= 0 && got < n; i--) {
    parts.unshift(raws[i]!);
    got += raws[i]!.length;
  }
  return tail(Buffer.concat(parts), n);
}

/** The pieces with each run of the reader's own ones joined: each deflate call costs far more to set up than its bytes take. */
function joinOwn(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  let own: Buffer[] = [];
  const flush = () => {
    if (own.length) out.push(own.length === 1 ? own[0]! : Buffer.concat(own));
    own = [];
  };
  for (const p of pieces) {
    if (p instanceof Deflated) {
      flush();
      out.push(p);
    } else if (p.length) own.push(p);
  }
  flush();
  return out;
}

/** Own pieces this short go as they are (a stored block): deflating them would save a few bytes and cost a deflate call's setup. */
const STORED_UP_TO = 160;

/** `raw` as one stored deflate block; it starts on a byte boundary, as every piece ends on one (RFC 1951, 3.2.4). */
function stored(raw: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt16LE(raw.length, 1);
  head.writeUInt16LE(~raw.length & 0xffff, 3);
  return Buffer.concat([head, raw]);
}

/** The reader's own piece deflated now, quickly (they are small), referring back into the last of what precedes it. */
function ownDeflated(raw: Buffer, before: Buffer[]): Buffer {
  if (raw.length <= STORED_UP_TO) return stored(raw);
  // Only the last few KB as history, as zlib works through all of a dictionary before compressing.
  return deflateRawSync(raw, before.length ? { ...OWN, dictionary: lastBytes(before, OWN_HISTORY) } : OWN);
}

/** Shorter runs go as they are: not worth a lookup. Longer ones, kept, spare the reader's piece around them a deflate call. */
const KEEP_FROM = 32;
/** How many runs CommonRuns keeps deflated (a few per article page in demand), and remembers seeing. */
const KEPT_RUNS = 2000;

/**
 * Runs of readers' own pieces that are the same on many readers' pages (a page's head, its
 * notify form, the article part of its state), once what is each reader's alone is cut out:
 * deflated the second time they are seen, and kept. A run seen once is deflated with the
 * reader's piece, as before, so a page no reader shares costs what it did.
 */
export class CommonRuns {
  private readonly runs = new KeptWhenSeenTwice<Deflated>(KEPT_RUNS, KEPT_RUNS * 4);

  /** The run deflated, or null while it is not (yet) known to recur. */
  of(raw: Buffer): Deflated | null {
    if (raw.length < KEEP_FROM) return null;
    // A checksum finds the run; its bytes, compared, make sure. A copy is kept: `raw` may be a
    // slice of a whole page, which keeping it would keep.
    const run = this.runs.get(`${crc32(raw)}:${raw.length}`, () => new Deflated(Buffer.from(raw)));
    return run?.raw.equals(raw) ? run : null;
  }
}

/** What of a page's own pieces is the reader's alone (their name, their token), and where the rest, shared by readers, is kept. */
export interface OwnBytes {
  apart: Buffer[];
  common: CommonRuns;
}

/** The first of `apart` in `raw` from `from`, or null. */
function nextApart(raw: Buffer, from: number, apart: Buffer[]): { at: number; length: number } | null {
  let first: { at: number; length: number } | null = null;
  for (const v of apart) {
    const at = v.length ? raw.indexOf(v, from) : -1;
    if (at >= 0 && (!first || at < first.at)) first = { at, length: v.length };
  }
  return first;
}

/** An own piece cut around the reader's bytes, the runs between taken from `common` where it has them. */
function cutApart(raw: Buffer, { apart, common }: OwnBytes): Piece[] {
  const out: Piece[] = [];
  let from = 0;
  while (from < raw.length) {
    const next = nextApart(raw, from, apart);
    const end = next ? next.at : raw.length;
    if (end > from) {
      const run = raw.subarray(from, end);
      out.push(common.of(run) ?? run);
    }
    if (!next) break;
    out.push(raw.subarray(next.at, next.at + next.length));
    from = next.at + next.length;
  }
  return out;
}

/**
 * One gzip member of the pieces: the reader's own deflated now, the rest as kept. Given `own`,
 * the runs of own pieces that other readers' pages share are taken deflated from its store.
 */
export function gzipPieces(all: Piece[], own?: OwnBytes): { body: Buffer; crc: number; length: number } {
  const joined = joinOwn(all);
  const pieces = own ? joinOwn(joined.flatMap((p) => (p instanceof Deflated ? [p] : cutApart(p, own)))) : joined;
  const out: Buffer[] = [HEADER];
  const raws: Buffer[] = [];
  // The stream so far as shared pieces know it: their names, and the length of each reader's own.
  let history = '';
  const others: (Buffer | number)[] = [];
  const dictionary = () =>
    lastBytes(
      others.map((o) => (typeof o === 'number' ? Buffer.alloc(o) : o)),
      WINDOW,
    );
  let crc = 0;
  let length = 0;
  for (const p of pieces) {
    const raw = rawOf(p);
    if (raw.length === 0) continue;
    // The reader's own pieces may refer back into what precedes them, which the reader gets too.
    out.push(p instanceof Deflated ? p.following(history, dictionary) : ownDeflated(raw, raws));
    raws.push(raw);
    others.push(p instanceof Deflated ? raw : raw.length);
    history += p instanceof Deflated ? `${p.id},` : `+${raw.length},`;
    crc = p instanceof Deflated ? crc32Combine(crc, p.crc, p.crcShift) : crc32(raw, crc);
    length += raw.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  out.push(LAST_BLOCK, trailer);
  return { body: Buffer.concat(out), crc, length };
}
