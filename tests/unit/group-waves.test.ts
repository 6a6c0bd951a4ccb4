import { describe, expect, it } from 'vitest';
import { waves } from '../../src/store/group-commit.js';

describe('group commit waves', () => {
  it("puts each key's n-th write in the n-th wave, keeping the order writes came in", () => {
    expect(waves([1, 2, 1, 3, 1, 2])).toEqual([[0, 1, 3], [2, 5], [4]]);
  });

  it('lets writes without a key go in the first wave', () => {
    expect(waves([undefined, 1, undefined, 1])).toEqual([[0, 1, 2], [3]]);
    expect(waves([])).toEqual([]);
  });
});
