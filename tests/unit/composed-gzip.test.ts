import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Deflated, gzipPieces, joinPieces } from '../../src/http/composed-gzip.js';

const text = (s: string, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `${s} ${i} `).join(''));

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

  it('refers back into the piece before only where that piece is the one it was deflated after', () => {
    const first = new Deflated(text('<li>thread one', 1000));
    const second = new Deflated(text('<li>thread one', 1000), first);
    for (const pieces of [[first, second], [Buffer.from('changed for this reader'), second], [second]]) {
      expect(gunzipSync(gzipPieces(pieces).body).equals(joinPieces(pieces).raw)).toBe(true);
    }
    // Chained, the second piece is nearly free: it repeats the first.
    expect(gzipPieces([first, second]).body.length).toBeLessThan(gzipPieces([first]).body.length + 200);
  });

  it('sends a short own piece as it is, between shared ones, and the stream still decodes', () => {
    const first = new Deflated(text('<li>thread one', 1000));
    const second = new Deflated(text('<li>thread two', 1000), first);
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
