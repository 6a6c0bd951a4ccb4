import search from 'approx-string-match';

/**
 * Comments anchored to a passage of an article, after the W3C Web Annotation model: the quoted
 * words with a little context (TextQuoteSelector) and their offsets (TextPositionSelector) in the
 * article's normalised plain text (see `normaliseText`).
 *
 * Offsets count UTF-16 code units, like `String.prototype.slice` and like the offsets of a
 * browser `Range`, so the widget can hand over what the DOM gives it without converting; an emoji
 * counts as 2. Everything here is pure: no I/O, no DOM, the same code on server and in browser.
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

/** Longest quote accepted from a client, in UTF-16 code units. */
export const MAX_QUOTE = 1000;
/** Longest prefix or suffix accepted from a client. */
export const MAX_CONTEXT = 64;
const DEFAULT_CONTEXT = 32;
/** Below this many code units a quote is too common to trust without its surroundings. */
const SHORT_QUOTE = 20;
/** Least share of the quote (1 - errors/length) a fuzzy match must keep. */
const MIN_FUZZY_SIMILARITY = 0.75;
/**
 * "Still in context" needs both: the stored sides on average at least half intact, and one side
 * nearly intact. Unrelated English scores about 0.2-0.4 per side, so a passage rewritten around
 * its quote does not pass by sharing a later sentence.
 */
const MIN_CONTEXT = 0.5;
const MIN_STRONG_SIDE = 0.75;
// Relative weights after Hypothesis's match-quote: the words matter most, then their context;
// the old offset only breaks ties, as edits shift everything after them.
const W_QUOTE = 50;
const W_PREFIX = 20;
const W_SUFFIX = 20;
const W_POSITION = 2;

/**
 * The article text that offsets refer to: whitespace runs (including NBSP and other Unicode
 * spaces, which `\s` covers) become one space, ends trimmed. The server and the widget must
 * derive it identically or every stored offset is off.
 */
export function normaliseText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

const FOLD: Record<string, string> = {};
for (const c of '\u2018\u2019\u201A\u201B\u2032\u02BC') FOLD[c] = "'";
for (const c of '\u201C\u201D\u201E\u201F\u2033') FOLD[c] = '"';
for (const c of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') FOLD[c] = '-';
for (const c of '\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000') FOLD[c] = ' ';
const FOLDABLE = new RegExp(`[${Object.keys(FOLD).join('')}]`, 'g');

/**
 * Compares typographic and plain punctuation, and letter case, as equal. Must keep every
 * character at its index (one code unit in, one out) so that offsets found in folded text are
 * offsets in the original text: that is why "…" is not expanded to "...".
 */
function fold(s: string): string {
  const plain = s.replace(FOLDABLE, (c) => FOLD[c] ?? c);
  const lower = plain.toLowerCase();
  if (lower.length === plain.length) return lower;
  // A few letters (e.g. "İ") grow when lower-cased; leave those alone to keep indices aligned.
  return plain.replace(/\p{Lu}/gu, (c) => {
    const l = c.toLowerCase();
    return l.length === c.length ? l : c;
  });
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Selectors for [start, end) of `text` with up to `context` code units either side (capped at
 * MAX_CONTEXT so the result always passes `validateAnchor`). Context is clipped at the ends of
 * the text and never starts or ends in half of a surrogate pair, so it survives JSON and
 * compares cleanly.
 */
export function describeRange(text: string, start: number, end: number, context = DEFAULT_CONTEXT): Anchor {
  const n = Math.max(0, Math.min(MAX_CONTEXT, Math.floor(context)));
  let from = Math.max(0, start - n);
  if (from > 0 && from < start && isLowSurrogate(text.charCodeAt(from))) from++;
  let to = Math.min(text.length, end + n);
  if (to > end && to < text.length && isHighSurrogate(text.charCodeAt(to - 1))) to--;
  return {
    quote: { type: 'TextQuoteSelector', exact: text.slice(start, end), prefix: text.slice(from, start), suffix: text.slice(end, to) },
    position: { type: 'TextPositionSelector', start, end },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field names are not echoed: they come from the client and end up in an error message. */
function unexpectedKeys(o: Record<string, unknown>, allowed: readonly string[], where: string): string[] {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k)).length;
  return extra ? [`${where} has ${extra} unexpected field${extra === 1 ? '' : 's'}`] : [];
}

/**
 * Problems with an anchor from untrusted input (empty when it is acceptable). Strict about shape
 * and size, because whatever passes is stored and re-run through `anchor` on every article edit;
 * it does not check that the quote is in the article, which `anchor` does.
 */
export function validateAnchor(a: unknown): string[] {
  if (!isRecord(a)) return ['anchor must be an object'];
  const out = unexpectedKeys(a, ['quote', 'position'], 'anchor');
  const q = a.quote;
  const p = a.position;
  let exactLength: number | null = null;

  if (!isRecord(q)) out.push('quote must be an object');
  else {
    out.push(...unexpectedKeys(q, ['type', 'exact', 'prefix', 'suffix'], 'quote'));
    if (q.type !== 'TextQuoteSelector') out.push('quote.type must be "TextQuoteSelector"');
    if (typeof q.exact !== 'string' || q.exact.length < 1 || q.exact.length > MAX_QUOTE)
      out.push(`quote.exact must be a string of 1 to ${MAX_QUOTE} characters`);
    else exactLength = q.exact.length;
    for (const k of ['prefix', 'suffix'] as const) {
      const v = q[k];
      if (typeof v !== 'string' || v.length > MAX_CONTEXT) out.push(`quote.${k} must be a string of at most ${MAX_CONTEXT} characters`);
    }
  }

  if (!isRecord(p)) out.push('position must be an object');
  else {
    out.push(...unexpectedKeys(p, ['type', 'start', 'end'], 'position'));
    if (p.type !== 'TextPositionSelector') out.push('position.type must be "TextPositionSelector"');
    const { start, end } = p;
    if (typeof start !== 'number' || typeof end !== 'number' || !Number.isSafeInteger(start) || !Number.isSafeInteger(end))
      out.push('position.start and position.end must be integers');
    else if (start < 0 || end <= start) out.push('position must have 0 <= start < end');
    else if (exactLength !== null && end - start !== exactLength) out.push('position must span exactly the quote');
  }
  return out;
}

/**
 * How well `stored` context matches the text next to a candidate, 0..1, by edit distance.
 * `stored` is oriented away from the quote (a prefix arrives reversed) and the text is read from
 * `from` in direction `step`, so the context nearest the quote must line up while the far end
 * may run out or drift: an edit a few words away costs little, a rewrite of the adjoining words
 * costs a lot. Runs once per candidate, and a common short quote has thousands of candidates,
 * hence the typed rows and char codes.
 */
function contextSimilarity(stored: string, hay: string, from: number, step: 1 | -1): number {
  const m = stored.length;
  const available = step === 1 ? hay.length - from : from + 1;
  const n = Math.max(0, Math.min(available, m + Math.ceil(m / 2)));
  // One row of the edit-distance table at a time: rows are stored chars, columns text chars.
  let prev = new Uint16Array(n + 1);
  let cur = new Uint16Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    const s = stored.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const sub = prev[j - 1]! + (s === hay.charCodeAt(from + step * (j - 1)) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      cur[j] = sub < del ? Math.min(sub, ins) : Math.min(del, ins);
    }
    [prev, cur] = [cur, prev];
  }
  let best = m;
  for (let j = 0; j <= n; j++) if (prev[j]! < best) best = prev[j]!;
  return 1 - best / m;
}

interface Candidate {
  start: number;
  end: number;
  errors: number;
}

interface Fit {
  prefix: number | null;
  suffix: number | null;
  /** Mean over the sides that have stored context; null when none does. */
  mean: number | null;
}

/** Folded stored context, the prefix reversed so that both sides read away from the quote. */
interface Context {
  prefixRev: string;
  suffix: string;
}

function contextFit(hay: string, ctx: Context, c: Candidate): Fit {
  const pre = ctx.prefixRev ? contextSimilarity(ctx.prefixRev, hay, c.start - 1, -1) : null;
  const suf = ctx.suffix ? contextSimilarity(ctx.suffix, hay, c.end, 1) : null;
  const mean = pre === null ? suf : suf === null ? pre : (pre + suf) / 2;
  return { prefix: pre, suffix: suf, mean };
}

interface Scored {
  c: Candidate;
  fit: Fit;
  score: number;
}

function rank(hay: string, ctx: Context, quoteLength: number, hint: number, candidates: Candidate[]): Scored[] {
  const lengthGap = (c: Candidate) => Math.abs(c.end - c.start - quoteLength);
  return (
    candidates
      .map((c) => {
        const fit = contextFit(hay, ctx, c);
        const quote = 1 - c.errors / quoteLength;
        // A side with no stored context (the quote began or ended the article) neither helps nor hurts.
        const pre = fit.prefix ?? 1;
        const suf = fit.suffix ?? 1;
        const near = 1 - Math.min(1, Math.abs(c.start - hint) / Math.max(1, hay.length));
        const score = (W_QUOTE * quote + W_PREFIX * pre + W_SUFFIX * suf + W_POSITION * near) / (W_QUOTE + W_PREFIX + W_SUFFIX + W_POSITION);
        return { c, fit, score };
      })
      // Among equals, a span as long as the quote reads an edit as a substitution ("running." to
      // "running!") rather than as a deletion that leaves a stray character outside the passage.
      .sort((x, y) => y.score - x.score || lengthGap(x.c) - lengthGap(y.c) || x.c.start - y.c.start)
  );
}

const inContext = (fit: Fit) => fit.mean !== null && fit.mean >= MIN_CONTEXT && Math.max(fit.prefix ?? 0, fit.suffix ?? 0) >= MIN_STRONG_SIDE;

/**
 * Finds the passage again in `text` (normalised, possibly edited since the anchor was made):
 *   1. at its stored offsets, if the words there are unchanged;
 *   2. else the occurrence of the exact words (ignoring case and typographic punctuation) whose
 *      surroundings best match the stored context;
 *   3. else the closest approximate match, if it kept >= 75% of the quote and, for a short quote,
 *      its context too;
 *   4. else orphaned. A comment about words that are gone must not land on other words that
 *      merely look alike, so each step refuses rather than guesses.
 */
export function anchor(text: string, a: Anchor): AnchorResult {
  const { exact } = a.quote;
  const { start, end } = a.position;
  const orphaned: AnchorResult = { status: 'orphaned', quote: exact };
  if (!exact) return orphaned;

  const hay = fold(text);
  const needle = fold(exact);
  // Reversed by code unit, as the text is read backwards by code unit. Capped because the cost is
  // per candidate and stored anchors predating validation, or bypassing it, could be any size.
  const ctx: Context = {
    prefixRev: fold(a.quote.prefix.slice(-MAX_CONTEXT)).split('').reverse().join(''),
    suffix: fold(a.quote.suffix.slice(0, MAX_CONTEXT)),
  };
  const short = exact.length < SHORT_QUOTE;

  const exactHits: Candidate[] = [];
  const findAll = () => {
    for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) exactHits.push({ start: i, end: i + needle.length, errors: 0 });
  };

  if (text.slice(start, end) === exact) {
    const here: Candidate = { start, end, errors: 0 };
    const fitHere = contextFit(hay, ctx, here);
    if (fitHere.mean === null || inContext(fitHere)) return { status: 'anchored', start, end, method: 'position', score: 1 };
    // Same words at the same offset but foreign surroundings: with a common phrase, an edit
    // elsewhere can slide another occurrence into place. Trust the offset unless some other
    // occurrence is demonstrably in the passage's context.
    findAll();
    const better = rank(hay, ctx, exact.length, start, exactHits).find((s) => s.c.start !== start && inContext(s.fit) && s.fit.mean! > fitHere.mean!);
    if (better) return { status: 'anchored', start: better.c.start, end: better.c.end, method: 'quote', score: better.score };
    return { status: 'anchored', start, end, method: 'position', score: 1 };
  }

  findAll();
  if (exactHits.length) {
    const best = rank(hay, ctx, exact.length, start, exactHits)[0]!;
    // A long quote is distinctive by itself. A short one ("the", "in 2019") is only the same
    // passage if its surroundings say so; with no stored context, only if there is no choice.
    const ok = !short || inContext(best.fit) || (best.fit.mean === null && exactHits.length === 1);
    // The words still exist, so any approximate match would be one of these same places.
    return ok ? { status: 'anchored', start: best.c.start, end: best.c.end, method: 'quote', score: best.score } : orphaned;
  }

  const maxErrors = Math.min(256, Math.floor(exact.length / 2));
  if (maxErrors < 1) return orphaned;
  // approx-string-match returns only the matches with the fewest errors found anywhere, so the
  // context can only choose among equally close matches; a passage rewritten more than another
  // lookalike is therefore refused below rather than searched for harder.
  const best = rank(hay, ctx, exact.length, start, search(hay, needle, maxErrors))[0];
  if (!best) return orphaned;
  if (1 - best.c.errors / exact.length < MIN_FUZZY_SIMILARITY) return orphaned;
  if (short && !inContext(best.fit)) return orphaned;
  return { status: 'anchored', start: best.c.start, end: best.c.end, method: 'fuzzy', score: best.score };
}

/** Commented passages as the article shows them: one highlight per run of overlapping passages. */
export interface PassageMark {
  start: number;
  end: number;
  /** Comments on every passage in the run. */
  count: number;
}

/**
 * Merges passages that overlap into one mark, so no commented passage goes unmarked because
 * another covers part of it (marks cannot nest). Passages that only touch stay apart.
 */
export function passageMarks(passages: readonly { start: number; end: number }[]): PassageMark[] {
  const out: PassageMark[] = [];
  for (const p of [...passages].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const last = out.at(-1);
    if (last && p.start < last.end) {
      last.end = Math.max(last.end, p.end);
      last.count++;
    } else out.push({ start: p.start, end: p.end, count: 1 });
  }
  return out;
}
