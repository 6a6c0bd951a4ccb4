import { describe, expect, it } from 'vitest';
import { KeptWhenSeenTwice, Lru } from '../../src/services/lru.js';

describe('the recently-used cache', () => {
  it('never holds more than its bound, however many keys pass through it', () => {
    const lru = new Lru<number, number>(10);
    for (let i = 0; i < 1000; i++) {
      lru.set(i, i);
      expect(lru.size).toBeLessThanOrEqual(10);
    }
    // The last keys set are there; the first are long gone.
    expect(lru.get(999)).toBe(999);
    expect(lru.get(995)).toBe(995);
    expect(lru.get(0)).toBeUndefined();
  });

  it('keeps a key that is used while other keys stream past, and drops one that is not', () => {
    const lru = new Lru<string, number>(10);
    lru.set('used', 1);
    lru.set('idle', 2);
    for (let i = 0; i < 100; i++) {
      lru.set(`k${i}`, i);
      // Read every few new keys: fewer than half the bound in between.
      if (i % 4 === 0) expect(lru.get('used')).toBe(1);
    }
    expect(lru.get('used')).toBe(1);
    expect(lru.get('idle')).toBeUndefined();
  });

  it('always holds the last keys set, up to half its bound', () => {
    const lru = new Lru<number, number>(8);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 50; i++) lru.set(i, i * 10);
      for (let i = 46; i < 50; i++) expect(lru.get(i)).toBe(i * 10);
    }
  });

  it('replaces a value, and forgets a deleted key in either generation', () => {
    const lru = new Lru<string, string>(4);
    lru.set('a', '1');
    lru.set('a', '2');
    expect(lru.get('a')).toBe('2');
    lru.set('b', 'x'); // the young generation (2 of 4) is full: 'a' and 'b' are now old
    lru.set('c', 'y');
    lru.delete('a');
    lru.delete('c');
    expect(lru.get('a')).toBeUndefined();
    expect(lru.get('c')).toBeUndefined();
    expect(lru.get('b')).toBe('x');
    // An old value replaced stays replaced when later moved up.
    lru.set('b', 'z');
    expect(lru.get('b')).toBe('z');
  });
});

describe('values kept when their key is seen twice', () => {
  it('makes nothing on the first sighting, makes and keeps on the second, and bounds both memories', () => {
    let made = 0;
    const make = (k: string) => () => `${k}#${++made}`;
    const kept = new KeptWhenSeenTwice<string>(2, 2);
    expect(kept.get('a', make('a'))).toBeUndefined();
    expect(made).toBe(0);
    expect(kept.get('a', make('a'))).toBe('a#1');
    expect(kept.get('a', make('a'))).toBe('a#1');
    expect(made).toBe(1);
    // Keys seen once are forgotten past `remember`: a key must then be seen twice again.
    for (const k of ['b', 'c', 'd', 'e']) kept.get(k, make(k));
    expect(kept.get('b', make('b'))).toBeUndefined();
    expect(kept.get('b', make('b'))).toBe('b#2');
  });
});
