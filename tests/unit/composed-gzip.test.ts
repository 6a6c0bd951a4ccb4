import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CommonRuns, Deflated, gzipPieces, joinPieces, type OwnBytes } from '../../src/http/composed-gzip.js';
import { crc32Combine, crc32Shift } from '../../src/http/crc32-combine.js';

const text = (s: string, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `${s} ${i} `).join(''));

describe("joined pieces' checksum from their own", () => {
  it('equals the checksum of the joined bytes, for any lengths', () => {
    const lengths = [0, 1, 2, 3, 7, 8, 255, 256, 4096, 65_537, 300_000];
    for (const a of lengths)
      for (const b of lengths) {
        const first = randomBytes(a);
        const second = randomBytes(b);
        expect(crc32Combine(crc32(first), crc32(second), crc32Shift(b))).toBe(crc32(Buffer.concat([first, second])));
      }
  });
});

describe('a gzip stream made of pieces deflated apart', () => {
  it('decodes to the pieces in order, shared and own mixed', () => {
    const shared = new Deflated(text('<article>shared thread', 3000));
    const other = new Deflated(text('<p>article text</p>', 500));
    const pieces = [Buffer.from('<!doctype html><header>Signed in as Ann</header>'), other, shared, Buffer.from(''), randomBytes(5000), shared];
    const { body, crc, length } = gzipPieces(pieces);
    const { raw, crc: crc2 } = joinPieces(pieces);
    expect(gunzipSync(body).equals(raw)).toBe(true);
    expect(length).toBe(raw.length);
    expect(crc).toBe(crc32(raw));
    expect(crc2).toBe(crc);
  });

  it('refers back into the pieces before it once it has followed them twice', () => {
    const first = new Deflated(text('<li>thread one', 1000));
    const second = new Deflated(text('<li>thread one', 1000));
    const sizes = [1, 2, 3].map(() => {
      const { body } = gzipPieces([first, second]);
      expect(gunzipSync(body).equals(joinPieces([first, second]).raw)).toBe(true);
      return body.length;
    });
    // Seen once, it goes alone; from the second time it is nearly free: it repeats the first.
    expect(sizes[0]).toBeGreaterThan(gzipPieces([first]).body.length + first.deflated.length / 2);
    expect(sizes[1]).toBeLessThan(gzipPieces([first]).body.length + 200);
    expect(sizes[2]).toBe(sizes[1]);
    // After other pieces, or none, it goes as it must there.
    for (const pieces of [[Buffer.from('changed for this reader'), second], [second], [second, first]]) {
      expect(gunzipSync(gzipPieces(pieces).body).equals(joinPieces(pieces).raw)).toBe(true);
    }
  });

  it("refers back across a reader's own bytes to the shared ones before them, whoever the reader", () => {
    const head = new Deflated(text('<header><nav>site', 200));
    const thread = new Deflated(text('<header><nav>site', 220));
    const pageOf = (name: string) => [head, Buffer.from(`<p>Signed in as ${name}</p>`), thread];
    // Ann's page twice, as a piece kept after that stream is first made then; then Bob's, as long.
    const bodies = ['Ann', 'Ann', 'Bob', 'Bartholomew', 'Bartholomew'].map((name) => {
      const pieces = pageOf(name);
      const { body } = gzipPieces(pieces);
      expect(gunzipSync(body).toString()).toBe(joinPieces(pieces).raw.toString());
      return body.length;
    });
    expect(bodies[1]).toBeLessThan(bodies[0]! - thread.deflated.length / 2);
    expect(bodies[2]).toBe(bodies[1]);
    // A name of another length is another stream: kept the second time it is seen.
    expect(bodies[3]).toBeGreaterThan(bodies[4]! + thread.deflated.length / 2);
  });

  it("never refers back from a piece holding a zero byte, which may stand for a reader's own", () => {
    const head = new Deflated(text('<header>', 100));
    const zeros = Buffer.concat([text('<p>binary', 20), Buffer.alloc(300), text('<p>binary', 20)]);
    const piece = new Deflated(zeros);
    for (const own of [Buffer.alloc(300), Buffer.alloc(300), Buffer.alloc(300, 'x')]) {
      const pieces = [head, own, piece];
      expect(gunzipSync(gzipPieces(pieces).body).equals(joinPieces(pieces).raw)).toBe(true);
    }
  });

  it('sends a short own piece as it is, between shared ones, and the stream still decodes', () => {
    const first = new Deflated(text('<li>thread one', 1000));
    const second = new Deflated(text('<li>thread two', 1000));
    const own = Buffer.from('</div><script type="application/json">{"page":{"threads":');
    const pieces = [Buffer.from('<p>a</p>'), first, own, second, Buffer.from('x'.repeat(5000))];
    const { body } = gzipPieces(pieces);
    expect(gunzipSync(body).equals(joinPieces(pieces).raw)).toBe(true);
    expect(body.includes(own)).toBe(true);
  });

  it('costs little against compressing the page whole', () => {
    const shared = new Deflated(text('<article>shared thread', 3000));
    const { body } = gzipPieces([Buffer.from('<header>x</header>'), shared]);
    expect(body.length).toBeLessThan(shared.raw.length / 4);
  });
});

describe("readers' own pieces cut around what is theirs alone", () => {
  const article = new Deflated(text('<p>article text</p>', 400));
  // A page's own piece for one reader: the same for every reader but for their name and token.
  const ownPiece = (name: string, token: string) =>
    Buffer.from(`</div><header>${text('<nav>', 60)}Signed in as ${name}<input name="_csrf" value="${token}"/>${text('<form>notify', 80)}</header>`);
  const readers = [
    ['Ann', 'a'.repeat(43)],
    ['Bartholomew', 'b'.repeat(43)],
    ['Cy &amp; Di', 'c'.repeat(43)],
    ['Dee', 'd'.repeat(43)],
  ];

  it("decodes to each reader's page, first seen or kept, and keeps a run once two pages share it", () => {
    const common = new CommonRuns();
    const bodies = readers.map(([name, token]) => {
      const own: OwnBytes = { apart: [Buffer.from(name!), Buffer.from(token!)], common };
      const pieces = [Buffer.from('<!doctype html>'), article, ownPiece(name!, token!), article];
      const { body, crc, length } = gzipPieces(pieces, own);
      const whole = joinPieces(pieces);
      expect(gunzipSync(body).equals(whole.raw)).toBe(true);
      expect([crc, length]).toEqual([whole.crc, whole.raw.length]);
      return body;
    });
    // The run after the token: seen on the first page, kept on the second, taken as kept from then on.
    const after = Buffer.from(`"/>${text('<form>notify', 80)}</header>`);
    const kept = common.of(after);
    expect(kept).toBeInstanceOf(Deflated);
    expect(bodies[0]!.includes(kept!.deflated)).toBe(false);
    // Where it first follows a stream, it goes deflated alone (later, after it: see Deflated).
    expect(bodies[1]!.includes(kept!.deflated)).toBe(true);
  });

  it('keeps a run the second time it is seen, and never gives it for other bytes', () => {
    const common = new CommonRuns();
    const run = text('<section>shared by readers', 40);
    expect(common.of(run)).toBeNull();
    const kept = common.of(Buffer.from(run));
    expect(kept?.raw.equals(run)).toBe(true);
    expect(common.of(run)).toBe(kept);
    // As long, but other bytes; and a run short enough to send as it is.
    const other = Buffer.from(run);
    other[10] = 'X'.charCodeAt(0);
    expect(common.of(other)).toBeNull();
    const short = Buffer.from('"/>');
    common.of(short);
    expect(common.of(short)).toBeNull();
  });
});
