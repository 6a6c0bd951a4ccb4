import { Lru } from '../services/lru.js';
import { Deflated, type Piece } from './composed-gzip.js';

/** A page cut at its marks: the text between them deflated once, and each mark where a reader's own pieces go. */
type Shell = (Deflated | string)[];

/** How many kinds of page are kept: a few per article in demand (reader or staff, subscribed or not, following or not). */
const KEPT_SHELLS = 500;

/** `html` cut at every place any of `marks` stands, in the order they stand. */
export function cutAtMarks(html: string, marks: readonly string[]): Shell {
  const out: Shell = [];
  let from = 0;
  for (;;) {
    let next = -1;
    let mark = '';
    for (const m of marks) {
      const at = html.indexOf(m, from);
      if (at >= 0 && (next < 0 || at < next)) {
        next = at;
        mark = m;
      }
    }
    const end = next < 0 ? html.length : next;
    if (end > from) out.push(new Deflated(Buffer.from(html.slice(from, end))));
    if (next < 0) return out;
    out.push(mark);
    from = next + mark.length;
  }
}

/**
 * Signed-in readers' pages, rendered once per kind of page with marks where a reader's own text
 * goes (their name, their token, their state) and the rest deflated once: a reader's page is
 * then filled in, not rendered. The kind must name everything the page shows besides its marks.
 */
export class ReaderShells {
  private readonly kept = new Lru<string, Shell>(KEPT_SHELLS);

  constructor(private readonly marks: readonly string[]) {}

  /** The page of `kind` with each mark filled; `render` makes it, marks in place, when none of its kind is kept. */
  pieces(kind: string, render: () => string, fills: ReadonlyMap<string, Piece[]>): Piece[] {
    let shell = this.kept.get(kind);
    if (!shell) {
      shell = cutAtMarks(render(), this.marks);
      this.kept.set(kind, shell);
    }
    const out: Piece[] = [];
    for (const part of shell) {
      if (typeof part !== 'string') {
        out.push(part);
        continue;
      }
      const fill = fills.get(part);
      if (!fill) throw new Error('a page mark with nothing to fill it');
      out.push(...fill);
    }
    return out;
  }
}
