/**
 * Moderators' search over comments (issue 16): what a query means, independent of the database
 * that answers it. The store turns these into FTS5 or PostgreSQL full-text conditions.
 */

/** What a moderator filters by. `hidden`: published once, then taken out of view (reports). */
export const SEARCH_STATUSES = ['visible', 'pending', 'hidden', 'rejected', 'deleted'] as const;
export type SearchStatus = (typeof SEARCH_STATUSES)[number];

/** `any`: reported at some point; `open`: with reports no moderator has settled yet. */
export const REPORT_FILTERS = ['any', 'open'] as const;
export type ReportFilter = (typeof REPORT_FILTERS)[number];

/** Words to find: each word and each quoted phrase must occur (AND); engines stem them. */
export interface SearchTerms {
  words: string[];
  phrases: string[][];
}

export interface SearchFilters {
  terms: SearchTerms | null;
  /** One reader, exactly (links from the queue and the history use this). */
  authorId: number | null;
  /** An email address (exact) or part of a display name. */
  author: string | null;
  articleId: number | null;
  /** An article's slug (exact) or part of its title. */
  article: string | null;
  status: SearchStatus | null;
  /** Creation time, epoch ms: from inclusive, to exclusive. */
  from: number | null;
  to: number | null;
  reports: ReportFilter | null;
}

/** Where the next page starts: the last row shown, in newest-first order. */
export interface SearchCursor {
  at: number;
  id: number;
}

const MAX_TERMS = 16;
/** A token carries something an engine indexes: a letter or a digit. */
const indexable = (s: string) => /[\p{L}\p{N}]/u.test(s);

/**
 * Reads a search box: bare words and "quoted phrases", all required. Operators of either engine
 * mean nothing here, so no input can make a query the engine rejects. Null when nothing is left.
 */
export function parseTerms(input: string): SearchTerms | null {
  const words: string[] = [];
  const phrases: string[][] = [];
  for (const m of input.matchAll(/"([^"]*)"?|(\S+)/g)) {
    if (words.length + phrases.length >= MAX_TERMS) break;
    if (m[1] !== undefined) {
      const parts = m[1].split(/\s+/).filter(indexable);
      if (parts.length > 1) phrases.push(parts);
      else if (parts.length === 1) words.push(parts[0]!);
    } else if (indexable(m[2]!)) words.push(m[2]!);
  }
  return words.length + phrases.length === 0 ? null : { words, phrases };
}

/** An FTS5 MATCH expression: every word and phrase as a quoted string, so none is an operator. */
export function fts5Query(t: SearchTerms): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return [...t.words.map(quote), ...t.phrases.map((p) => quote(p.join(' ')))].join(' ');
}

/**
 * Start and end of a highlighted match inside a snippet. Private-use characters: the engines
 * put them around matches, and the renderer turns them into <mark> after escaping the text, so a
 * comment's own markup never becomes HTML.
 */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

export interface SnippetPart {
  text: string;
  match: boolean;
}

/** Splits an engine's snippet at the markers; marker characters a reader typed are dropped. */
export function snippetParts(raw: string): SnippetPart[] {
  const out: SnippetPart[] = [];
  let match = false;
  let text = '';
  const flush = () => {
    if (text) {
      const last = out.at(-1);
      if (last && last.match === match) last.text += text;
      else out.push({ text, match });
    }
    text = '';
  };
  for (const ch of raw) {
    if (ch === MATCH_START || ch === MATCH_END) {
      flush();
      match = ch === MATCH_START;
    } else text += ch;
  }
  flush();
  return out;
}

/** The start of a comment when there are no words to highlight: whitespace folded, cut at a word. */
export function plainExcerpt(body: string, max = 240): SnippetPart[] {
  const flat = body
    .replace(/[\uE000\uE001]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= max) return flat ? [{ text: flat, match: false }] : [];
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return [{ text: `${space > max * 0.6 ? cut.slice(0, space) : cut}…`, match: false }];
}

const DAY_MS = 86_400_000;

/** A calendar day (YYYY-MM-DD, UTC) as epoch ms at its start; null if no such day. */
export function dayStart(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-31 over into March; a day that does not exist is an error.
  return new Date(t).toISOString().slice(0, 10) === day ? t : null;
}

/**
 * `from` and `to` days, both included, as a half-open time range. Null when a day does not exist
 * or the range runs backwards.
 */
export function dayRange(from: string | null, to: string | null): { from: number | null; to: number | null } | null {
  const start = from ? dayStart(from) : null;
  const endDay = to ? dayStart(to) : null;
  if ((from && start === null) || (to && endDay === null)) return null;
  const end = endDay === null ? null : endDay + DAY_MS;
  if (start !== null && end !== null && start >= end) return null;
  return { from: start, to: end };
}

export function encodeCursor(c: SearchCursor): string {
  return `${c.at}.${c.id}`;
}

export function decodeCursor(s: string): SearchCursor | null {
  const m = /^(-?\d{1,16})\.(\d{1,16})$/.exec(s);
  if (!m) return null;
  const at = Number(m[1]);
  const id = Number(m[2]);
  return Number.isSafeInteger(at) && Number.isSafeInteger(id) ? { at, id } : null;
}

/** The status a moderator sees: a held comment that readers saw before is `hidden`. */
export function searchStatusOf(status: string, moderatedAt: number | null): SearchStatus {
  if (status === 'pending') return moderatedAt === null ? 'pending' : 'hidden';
  return (SEARCH_STATUSES as readonly string[]).includes(status) ? (status as SearchStatus) : 'visible';
}

/** Which queue tab a comment can be acted on from, if any. */
export function queueTabFor(status: SearchStatus, openReports: number): 'pending' | 'reported' | 'rejected' | null {
  if (openReports > 0 && (status === 'visible' || status === 'hidden')) return 'reported';
  if (status === 'pending' || status === 'hidden') return 'pending';
  if (status === 'rejected') return 'rejected';
  return null;
}

/** The `like` pattern for "contains `s`", its wildcards escaped with `\`. */
export function containsPattern(s: string): string {
  return `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
