import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('votes repository on %s', (dialect) => {
  const f = useStore(dialect);

  it('keeps one vote per reader and comment through concurrent changes', async () => {
    const c = await f.store.comments.insert(f.newComment());
    await Promise.all([1, 1, -1, 1, 1].map((v) => f.store.transaction((tx) => tx.votes.set(c, f.bob, v as 1 | -1, now))));
    const row = (await f.store.comments.byId(c))!;
    expect(Math.abs(row.score)).toBe(1);
    expect(row.up + row.down).toBe(1);
    expect(await f.store.votes.of(c, f.bob)).toBe(row.score);
    await f.store.transaction((tx) => tx.votes.set(c, f.bob, 0, now));
    expect((await f.store.comments.byId(c))!).toMatchObject({ up: 0, down: 0, score: 0 });
  });
});
