import { describe, expect, it } from 'vitest';
import {
  containsPattern,
  dayRange,
  decodeCursor,
  encodeCursor,
  fts5Query,
  MATCH_END,
  MATCH_START,
  parseTerms,
  plainExcerpt,
  queueTabFor,
  searchStatusOf,
  snippetParts,
} from '../../src/domain/comment-search.js';

describe('the search box', () => {
  it('reads words and quoted phrases, and drops what no engine indexes', () => {
    expect(parseTerms('  harbour  "offside decisions"  lights ')).toEqual({ words: ['harbour', 'lights'], phrases: [['offside', 'decisions']] });
    expect(parseTerms('"one"')).toEqual({ words: ['one'], phrases: [] });
    expect(parseTerms('"unclosed phrase')).toEqual({ words: [], phrases: [['unclosed', 'phrase']] });
    expect(parseTerms('-- * ( ) ""')).toBeNull();
    expect(parseTerms('')).toBeNull();
    expect(parseTerms(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))!.words).toHaveLength(16);
  });

  it('quotes every term for FTS5, so operators and quotes are plain text', () => {
    expect(fts5Query(parseTerms('NEAR(a b) OR say"hi -x')!)).toBe('"NEAR(a" "b)" "OR" "say""hi" "-x"');
    expect(fts5Query({ words: ['a'], phrases: [['b', 'c']] })).toBe('"a" "b c"');
  });
});

describe('snippets', () => {
  it('splits an engine snippet at its markers into text and matches', () => {
    const raw = `a <b>${MATCH_START}dangerous${MATCH_END} ${MATCH_START}marmot${MATCH_END}!`;
    expect(snippetParts(raw)).toEqual([
      { text: 'a <b>', match: false },
      { text: 'dangerous', match: true },
      { text: ' ', match: false },
      { text: 'marmot', match: true },
      { text: '!', match: false },
    ]);
    expect(snippetParts('')).toEqual([]);
  });

  it('shows the start of a comment when no words were asked for', () => {
    expect(plainExcerpt('  one\n\ntwo  ')).toEqual([{ text: 'one two', match: false }]);
    const long = plainExcerpt('word '.repeat(100), 50)[0]!.text;
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(51);
    // A reader cannot fake a highlight with the marker characters.
    expect(plainExcerpt(`x${MATCH_START}y`)).toEqual([{ text: 'xy', match: false }]);
  });
});

describe('filters', () => {
  it('turns days into a half-open range and refuses impossible or backwards ones', () => {
    expect(dayRange('2026-11-20', '2026-11-20')).toEqual({ from: Date.UTC(2026, 10, 20), to: Date.UTC(2026, 10, 21) });
    expect(dayRange(null, null)).toEqual({ from: null, to: null });
    expect(dayRange('2026-02-31', null)).toBeNull();
    expect(dayRange(null, '2026-13-01')).toBeNull();
    expect(dayRange('2026-11-21', '2026-11-20')).toBeNull();
  });

  it('round-trips cursors and refuses others', () => {
    expect(decodeCursor(encodeCursor({ at: 1_700_000_000_000, id: 42 }))).toEqual({ at: 1_700_000_000_000, id: 42 });
    expect(decodeCursor('abc')).toBeNull();
    expect(decodeCursor('1.2.3')).toBeNull();
  });

  it('names statuses as moderators see them and the queue that acts on each', () => {
    expect(searchStatusOf('pending', null)).toBe('pending');
    expect(searchStatusOf('pending', 1)).toBe('hidden');
    expect(searchStatusOf('rejected', 1)).toBe('rejected');
    expect(queueTabFor('visible', 0)).toBeNull();
    expect(queueTabFor('visible', 2)).toBe('reported');
    expect(queueTabFor('hidden', 0)).toBe('pending');
    expect(queueTabFor('rejected', 0)).toBe('rejected');
    expect(queueTabFor('deleted', 3)).toBeNull();
  });

  it('escapes like-wildcards in a name', () => {
    expect(containsPattern('50%_Off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
