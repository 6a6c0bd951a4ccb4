import search from 'approx-string-match';

/**
 * Comments anchored to a passage of an article, after the W3C Web Annotation model: a quote with
 * its context (TextQuoteSelector) and character offsets (TextPositionSelector) into the article's
 * normalised plain text. Offsets count UTF-16 code units, as browser Ranges do. Pure functions.
 */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}
export interface Anchor {
  quote: TextQuoteSelector;
  position: TextPositionSelector;
}
export type AnchorResult =
  | { status: 'anchored'; start: number; end: number; method: 'position' | 'quote' | 'fuzzy'; score: number }
  | { status: 'orphaned'; quote: string };

export const MAX_QUOTE = 1000;
export const MAX_CONTEXT = 64;
const CONTEXT = 32;

/** Whitespace runs become one space and the ends are trimmed, in server and browser alike. */
export function normaliseText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Same length as its input, so offsets found in the folded text are offsets in the original:
 * typographic quotes, dashes and odd spaces compare as their plain forms, letters case-folded.
 */
function fold(s: string): string {
  return s
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function describeRange(text: string, start: number, end: number, context = CONTEXT): Anchor {
  return {
    quote: { type: 'TextQuoteSelector', exact: text.slice(start, end), prefix: text.slice(Math.max(0, start - context), start), suffix: text.slice(end, end + context) },
    position: { type: 'TextPositionSelector', start, end },
  };
}

/** Problems with an anchor from untrusted input; empty when it is well-formed. */
export function validateAnchor(a: unknown): string[] {
  const out: string[] = [];
  const o = a as Partial<Anchor> | null;
  if (!o || typeof o !== 'object') return ['anchor must be an object'];
  const q = o.quote as Partial<TextQuoteSelector> | undefined;
  const pos = o.position as Partial<TextPositionSelector> | undefined;
  if (!q || q.type !== 'TextQuoteSelector') out.push('quote must be a TextQuoteSelector');
  if (!pos || pos.type !== 'TextPositionSelector') out.push('position must be a TextPositionSelector');
  if (out.length) return out;
  if (typeof q!.exact !== 'string' || q!.exact.length < 1 || q!.exact.length > MAX_QUOTE) out.push(`quote.exact must be 1 to ${MAX_QUOTE} characters`);
  for (const k of ['prefix', 'suffix'] as const) if (typeof q![k] !== 'string' || q![k]!.length > MAX_CONTEXT) out.push(`quote.${k} must be at most ${MAX_CONTEXT} characters`);
  const { start, end } = pos!;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start! < 0 || end! <= start!) out.push('position must have 0 <= start < end');
  else if (typeof q!.exact === 'string' && end! - start! !== q!.exact.length) out.push('position must span exactly the quote');
  return out;
}

/** How much of `want` is found at the edge of `have`, 0..1 (prefix compares from the end). */
function contextScore(have: string, want: string, fromEnd: boolean): number {
  if (!want) return 1;
  const a = fold(fromEnd ? [...have].reverse().join('') : have);
  const b = fold(fromEnd ? [...want].reverse().join('') : want);
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n / b.length;
}

interface Candidate {
  start: number;
  end: number;
  errors: number;
}

/** How well the text around a candidate matches the stored prefix and suffix, each 0..1. */
function contextFit(text: string, a: Anchor, c: Candidate): { prefix: number; suffix: number } {
  const q = a.quote;
  return {
    prefix: contextScore(text.slice(Math.max(0, c.start - q.prefix.length), c.start), q.prefix, true),
    suffix: contextScore(text.slice(c.end, c.end + q.suffix.length), q.suffix, false),
  };
}

function score(text: string, a: Anchor, c: Candidate): number {
  const quoteScore = 1 - c.errors / Math.max(1, a.quote.exact.length);
  const { prefix, suffix } = contextFit(text, a, c);
  const distance = 1 - Math.min(1, Math.abs(c.start - a.position.start) / Math.max(1, text.length));
  // Weights after Hypothesis: the quote matters most, then its context, then the old position.
  return (50 * quoteScore + 20 * prefix + 20 * suffix + 2 * distance) / 92;
}

/**
 * Finds the passage in (possibly edited) text: at its old position, else its exact quote in the
 * best context, else a close match within an error bound. What cannot be placed with confidence
 * is orphaned: a comment is never silently moved to the wrong words.
 */
export function anchor(text: string, a: Anchor): AnchorResult {
  const { exact } = a.quote;
  const { start, end } = a.position;
  if (text.slice(start, end) === exact) return { status: 'anchored', start, end, method: 'position', score: 1 };

  const hay = fold(text);
  const needle = fold(exact);
  const exactHits: Candidate[] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) exactHits.push({ start: i, end: i + needle.length, errors: 0 });
  const hasContext = a.quote.prefix.length + a.quote.suffix.length > 0;
  if (exactHits.length) {
    const best = exactHits.map((c) => ({ c, s: score(text, a, c) })).sort((x, y) => y.s - x.s)[0]!;
    // A short or repeated phrase whose context is gone could be anywhere: refuse to guess.
    const fit = contextFit(text, a, best.c);
    const ctxOk = fit.prefix + fit.suffix;
    if (exactHits.length === 1 ? exact.length >= 12 || ctxOk > 0.5 || !hasContext : ctxOk > 0.5) {
      return { status: 'anchored', start: best.c.start, end: best.c.end, method: 'quote', score: best.s };
    }
  }

  const maxErrors = Math.min(256, Math.floor(exact.length / 4));
  if (maxErrors > 0 && exact.length >= 8) {
    const hits = search(hay, needle, maxErrors);
    const ranked = hits.map((c) => ({ c, s: score(text, a, c) })).sort((x, y) => y.s - x.s);
    const best = ranked[0];
    if (best && 1 - best.c.errors / exact.length >= 0.75) {
      const fit = contextFit(text, a, best.c);
      if (exact.length >= 20 || fit.prefix + fit.suffix > 0.5) return { status: 'anchored', start: best.c.start, end: best.c.end, method: 'fuzzy', score: best.s };
    }
  }
  return { status: 'orphaned', quote: exact };
}
