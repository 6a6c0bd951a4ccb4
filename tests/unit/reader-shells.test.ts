import { describe, expect, it } from 'vitest';
import { Deflated, joinPieces } from '../../src/http/composed-gzip.js';
import { cutAtMarks, ReaderShells } from '../../src/http/reader-shells.js';

const text = (pieces: ReturnType<ReaderShells['pieces']>) => joinPieces(pieces).raw.toString();

describe('reader shells', () => {
  it('cut a page at every mark, in the order they stand, however often each stands', () => {
    const cut = cutAtMarks('<a>[N]</a><b>[T]</b>[N]<i>[T]', ['[T]', '[N]']);
    expect(cut.map((p) => (typeof p === 'string' ? p : p.raw.toString()))).toEqual(['<a>', '[N]', '</a><b>', '[T]', '</b>', '[N]', '<i>', '[T]']);
    expect(cut.filter((p) => typeof p !== 'string').every((p) => p instanceof Deflated)).toBe(true);
  });

  it("render once per kind and fill each reader's marks with that reader's pieces", () => {
    const shells = new ReaderShells(['[N]', '[T]']);
    let renders = 0;
    const render = () => {
      renders++;
      return '<p>Hello [N]</p><form>[T]</form><input value="[T]">';
    };
    const fill = (name: string, token: string) =>
      new Map([
        ['[N]', [Buffer.from(name)]],
        ['[T]', [Buffer.from(token)]],
      ]);
    expect(text(shells.pieces('reader', render, fill('Ada', 't1')))).toBe('<p>Hello Ada</p><form>t1</form><input value="t1">');
    expect(text(shells.pieces('reader', render, fill('Ben', 't2')))).toBe('<p>Hello Ben</p><form>t2</form><input value="t2">');
    expect(renders).toBe(1);
    shells.pieces('staff', () => '<p>[N]</p>[T]', fill('Mo', 't3'));
    expect(renders).toBe(1);
    expect(text(shells.pieces('staff', render, fill('Mo', 't3')))).toBe('<p>Mo</p>t3');
  });

  it('refuse to send a page with a mark left unfilled', () => {
    const shells = new ReaderShells(['[N]', '[T]']);
    expect(() => shells.pieces('k', () => '[N] and [T]', new Map([['[N]', [Buffer.from('x')]]]))).toThrow(/mark/);
  });
});
