import { describe, expect, it } from 'vitest';
import { StatementNames } from '../../src/store/statement-names.js';

describe('statement names', () => {
  it('names a text on its second sighting, keeps that name, and never gives it to another text', () => {
    const names = new StatementNames();
    expect(names.nameOf('select 1 where a = $1')).toBeUndefined();
    const first = names.nameOf('select 1 where a = $1');
    expect(first).toBeDefined();
    expect(names.nameOf('select 1 where a = $1')).toBe(first);
    names.nameOf('select 2 where a = $1');
    const second = names.nameOf('select 2 where a = $1');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it('names at most `max` texts; the rest go unnamed', () => {
    const names = new StatementNames(2);
    for (const t of ['a', 'a', 'b', 'b', 'c', 'c', 'c']) names.nameOf(t);
    expect([names.nameOf('a'), names.nameOf('b')].every((n) => n !== undefined)).toBe(true);
    expect(names.nameOf('c')).toBeUndefined();
  });

  it('keeps its sightings bounded', () => {
    const names = new StatementNames(10, 3);
    for (const t of ['a', 'b', 'c', 'd']) names.nameOf(t);
    // The set was full at 'd', so it started again: 'a' counts as a first sighting once more.
    expect(names.nameOf('a')).toBeUndefined();
    expect(names.nameOf('d')).toBeDefined();
  });

  it('after forget, gives the same text a name it never had', () => {
    const names = new StatementNames();
    names.nameOf('q');
    const before = names.nameOf('q');
    names.forget();
    expect(names.nameOf('q')).toBeUndefined();
    const after = names.nameOf('q');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });
});
