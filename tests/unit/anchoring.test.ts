import { describe, expect, it } from 'vitest';
import { anchor, describeRange, normaliseText, validateAnchor, type Anchor } from '../../src/domain/anchoring.js';

const ARTICLE = normaliseText(`At a quarter to ten on a wet Tuesday, the night train leaves the city the way a ship leaves harbour:
slowly, with a certain ceremony. The case against the sleeper is easy to make, which is partly why it has been made so often.
A sleeper carriage is, in accounting terms, a hotel that moves at ninety kilometres an hour. The night train is a hotel.
Nobody on the night train is in a hurry, and that is the point. Operators say the “sleeper premium” is real.`);

/** Selects `phrase` (its `nth` occurrence) in the article, as the browser would. */
function select(phrase: string, nth = 0, text = ARTICLE): Anchor {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(phrase, at + 1);
  if (at < 0) throw new Error(`phrase not in text: ${phrase}`);
  return describeRange(text, at, at + phrase.length);
}

interface Case {
  name: string;
  phrase: string;
  nth?: number;
  edit: (t: string) => string;
  /** The words the anchor must land on in the edited text, or null for orphaned. */
  expect: string | null;
  /** Which occurrence of `expect` in the edited text, when it repeats. */
  expectNth?: number;
}

const cases: Case[] = [
  { name: 'unchanged text', phrase: 'a hotel that moves at ninety kilometres an hour', edit: (t) => t, expect: 'a hotel that moves at ninety kilometres an hour' },
  { name: 'insertion before the passage', phrase: 'a hotel that moves at ninety kilometres an hour', edit: (t) => 'Editor’s note: updated. ' + t, expect: 'a hotel that moves at ninety kilometres an hour' },
  { name: 'insertion after the passage', phrase: 'the way a ship leaves harbour', edit: (t) => t + ' A new closing line.', expect: 'the way a ship leaves harbour' },
  { name: 'small insertion inside the passage', phrase: 'a hotel that moves at ninety kilometres an hour', edit: (t) => t.replace('ninety kilometres', 'ninety-odd kilometres'), expect: 'a hotel that moves at ninety-odd kilometres an hour' },
  { name: 'a word changed inside a long passage', phrase: 'The case against the sleeper is easy to make, which is partly why it has been made so often.', edit: (t) => t.replace('easy to make', 'simple to make'), expect: 'The case against the sleeper is simple to make, which is partly why it has been made so often.' },
  { name: 'passage deleted', phrase: 'a hotel that moves at ninety kilometres an hour', edit: (t) => t.replace('A sleeper carriage is, in accounting terms, a hotel that moves at ninety kilometres an hour. ', ''), expect: null },
  { name: 'passage rewritten beyond recognition', phrase: 'Nobody on the night train is in a hurry, and that is the point.', edit: (t) => t.replace('Nobody on the night train is in a hurry, and that is the point.', 'Passengers relax; speed was never what they bought.'), expect: null },
  { name: 'repeated phrase: context picks the second', phrase: 'the night train', nth: 1, edit: (t) => 'Preface. ' + t, expect: 'the night train', expectNth: 1 },
  { name: 'repeated phrase: context picks the third after the text moved', phrase: 'night train', nth: 2, edit: (t) => t.replace('At a quarter to ten', 'At a quarter to ten in November'), expect: 'night train', expectNth: 2 },
  { name: 'whitespace changes', phrase: 'slowly, with a certain ceremony.', edit: (t) => normaliseText(t.replace('slowly, with', 'slowly,   with\n')), expect: 'slowly, with a certain ceremony.' },
  { name: 'punctuation changes', phrase: 'slowly, with a certain ceremony', edit: (t) => t.replace('slowly, with a certain ceremony', 'slowly — with a certain ceremony'), expect: 'slowly — with a certain ceremony' },
  { name: 'typographic quotes straightened', phrase: 'the “sleeper premium” is real', edit: (t) => t.replace('“sleeper premium”', '"sleeper premium"'), expect: 'the "sleeper premium" is real' },
  { name: 'straight quotes made typographic', phrase: 'Editor’s note', edit: (t) => t.replace('Editor’s', "Editor's"), expect: "Editor's note" },
  { name: 'short quote whose context is gone', phrase: 'the point', edit: (t) => t.replace('Nobody on the night train is in a hurry, and that is the point.', 'This is the point of the story.'), expect: null },
  { name: 'short quote still in context', phrase: 'the point', edit: (t) => 'Preface. ' + t, expect: 'the point' },
  { name: 'emoji before the passage (UTF-16 offsets)', phrase: 'a certain ceremony', edit: (t) => '🚆🌙 ' + t, expect: 'a certain ceremony' },
  { name: 'case change', phrase: 'The night train is a hotel.', edit: (t) => t.replace('The night train is a hotel.', 'THE NIGHT TRAIN IS A HOTEL.'), expect: 'THE NIGHT TRAIN IS A HOTEL.' },
  { name: 'very long passage with one typo fixed', phrase: ARTICLE.slice(0, 400), edit: (t) => t.replace('ceremony', 'ceremonie'), expect: ARTICLE.slice(0, 400).replace('ceremony', 'ceremonie') },
  { name: 'whole sentence moved to the end', phrase: 'The night train is a hotel.', edit: (t) => t.replace('The night train is a hotel. ', '') + ' The night train is a hotel.', expect: 'The night train is a hotel.' },
  { name: 'sentence split into two', phrase: 'which is partly why it has been made so often', edit: (t) => t.replace('which is partly why it has been made so often', 'which is partly why. It has been made so often'), expect: 'which is partly why. It has been made so often' },
];

// "Editor’s note" only exists once the insertion case has run; give it its own source text.
const SOURCES: Record<string, string> = { 'straight quotes made typographic': 'Editor’s note: updated. ' + ARTICLE };

describe('re-anchoring passages after article edits', () => {
  it.each(cases)('$name', (c) => {
    const original = SOURCES[c.name] ?? ARTICLE;
    const a = select(c.phrase, c.nth ?? 0, original);
    const edited = c.edit(original);
    const r = anchor(edited, a);
    if (c.expect === null) {
      expect(r).toEqual({ status: 'orphaned', quote: c.phrase });
      return;
    }
    expect(r.status).toBe('anchored');
    if (r.status !== 'anchored') return;
    expect(edited.slice(r.start, r.end)).toBe(c.expect);
    let at = -1;
    for (let i = 0; i <= (c.expectNth ?? 0); i++) at = edited.indexOf(c.expect, at + 1);
    expect(r.start).toBe(at);
  });

  it('uses the stored position when the text there is unchanged', () => {
    const a = select('a certain ceremony');
    expect(anchor(ARTICLE, a)).toMatchObject({ method: 'position', score: 1 });
  });
});

describe('selectors', () => {
  it('describes a range with context clipped at the edges', () => {
    const a = describeRange('abc def', 0, 3);
    expect(a).toEqual({ quote: { type: 'TextQuoteSelector', exact: 'abc', prefix: '', suffix: ' def' }, position: { type: 'TextPositionSelector', start: 0, end: 3 } });
    expect(describeRange(ARTICLE, 100, 110).quote.prefix).toHaveLength(32);
  });

  it('rejects malformed anchors with a reason', () => {
    const good = describeRange(ARTICLE, 10, 20);
    expect(validateAnchor(good)).toEqual([]);
    expect(validateAnchor(null)).not.toEqual([]);
    expect(validateAnchor('x')).not.toEqual([]);
    expect(validateAnchor({ ...good, quote: { ...good.quote, type: 'Nope' } })).not.toEqual([]);
    expect(validateAnchor({ ...good, position: { ...good.position, start: -1 } })).not.toEqual([]);
    expect(validateAnchor({ ...good, position: { ...good.position, end: 5 } })).not.toEqual([]);
    expect(validateAnchor({ ...good, position: { ...good.position, end: 21 } })).toEqual(['position must span exactly the quote']);
    expect(validateAnchor({ ...good, quote: { ...good.quote, exact: 'x'.repeat(1001) }, position: { type: 'TextPositionSelector', start: 0, end: 1001 } })).not.toEqual([]);
    expect(validateAnchor({ ...good, quote: { ...good.quote, prefix: 'p'.repeat(65) } })).not.toEqual([]);
    expect(validateAnchor({ ...good, position: { ...good.position, start: 1.5 } })).not.toEqual([]);
  });

  it('normalises whitespace the same way everywhere', () => {
    expect(normaliseText('  a \n\t b\u00a0 c ')).toBe('a b c');
  });
});
