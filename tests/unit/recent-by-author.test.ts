import { describe, expect, it } from 'vitest';
import { RecentByAuthor } from '../../src/store/recent-by-author.js';

describe('an author’s latest comments, as a batch of posts keeps them', () => {
  const row = (id: number, body: string, createdAt: number) => ({ authorId: 1, id, body, createdAt });

  it('finds repeats among the last comments since the window opened, lowest id first', () => {
    const recent = new RecentByAuthor(3);
    recent.load([1, 2], [row(1, 'a', 10), row(4, 'a', 40), row(3, 'b', 30), row(2, 'a', 20)]);
    expect(recent.knows(1)).toBe(true);
    // Loaded with no comments: known to have none.
    expect(recent.knows(2)).toBe(true);
    expect(recent.matches(2, 'a', 0)).toEqual([]);
    expect(recent.knows(3)).toBe(false);
    // The last three are 4, 3 and 2: comment 1 is beyond the lookback.
    expect(recent.matches(1, 'a', 0).map((c) => c.id)).toEqual([2, 4]);
    // Before the window: not compared.
    expect(recent.matches(1, 'a', 25).map((c) => c.id)).toEqual([4]);
    expect(recent.matches(1, 'c', 0)).toEqual([]);
  });

  it('adds what the transaction writes, for the authors it loaded', () => {
    const recent = new RecentByAuthor(2);
    recent.load([1], [row(1, 'a', 10), row(2, 'b', 20)]);
    recent.add(1, { id: 3, body: 'c', createdAt: 30 });
    // Unloaded authors are left to the database.
    recent.add(9, { id: 4, body: 'c', createdAt: 30 });
    expect(recent.knows(9)).toBe(false);
    expect(recent.matches(1, 'c', 0)).toEqual([{ id: 3, body: 'c', createdAt: 30 }]);
    // Comment 1 has left the last two.
    expect(recent.matches(1, 'a', 0)).toEqual([]);
    expect(recent.matches(1, 'b', 0).map((c) => c.id)).toEqual([2]);
  });
});
