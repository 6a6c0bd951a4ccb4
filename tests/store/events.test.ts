import { blankArticle } from '../../src/store/store.js';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('events repository on %s', (dialect) => {
  const f = useStore(dialect);

  it("numbers each article's events on their own, and prunes old ones in batches", async () => {
    const { events, articles, comments } = f.store;
    const other = (await articles.upsert(blankArticle({ slug: 'other', title: 'O', publishedAt: now, body: 'b' }), now)).id;
    const c = await comments.insert(f.newComment());
    const old = new Date(now.getTime() - 3_600_000);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await f.store.transaction((tx) => tx.events.append(f.articleId, 'comment.voted', c, old)));
    ids.push(await f.store.transaction((tx) => tx.events.append(f.articleId, 'comment.edited', c, now)));
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await f.store.transaction((tx) => tx.events.append(other, 'comment.created', c, now))).toBe(1);
    expect(await events.lastId(f.articleId)).toBe(6);
    expect((await events.since(f.articleId, 4, 10)).map((e) => [e.id, e.type])).toEqual([
      [5, 'comment.voted'],
      [6, 'comment.edited'],
    ]);
    expect(await events.oldestId(f.articleId)).toBe(1);
    expect(await events.prune(new Date(now.getTime() - 1000), 2)).toBe(5);
    expect(await events.oldestId(f.articleId)).toBe(6);
    expect(await events.lastId(f.articleId)).toBe(6);
    expect(await events.oldestId(other)).toBe(1);
  });

  it("appends a shared transaction's queued events together, in the order queued, after those before", async () => {
    const { articles, comments, events } = f.store;
    const a = (await articles.upsert(blankArticle({ slug: 'later-a', title: 'A', publishedAt: now, body: 'b' }), now)).id;
    const b = (await articles.upsert(blankArticle({ slug: 'later-b', title: 'B', publishedAt: now, body: 'b' }), now)).id;
    const c = await comments.insert(f.newComment());
    await f.store.transaction((tx) => tx.events.append(a, 'comment.created', c, now));
    const slots = await f.store.transaction(async (tx) => {
      const queued = [tx.events.later(a, 'comment.voted', c, now), tx.events.later(b, 'comment.created', c, now), tx.events.later(a, 'comment.edited', c, now)];
      // Nothing is written until the flush.
      expect(await tx.events.lastId(a)).toBe(1);
      await tx.events.flush();
      return queued;
    });
    expect(slots.map((s) => [s.articleId === a ? 'a' : 'b', s.id])).toEqual([
      ['a', 2],
      ['b', 1],
      ['a', 3],
    ]);
    expect((await events.since(a, 0, 10)).map((e) => [e.id, e.type])).toEqual([
      [1, 'comment.created'],
      [2, 'comment.voted'],
      [3, 'comment.edited'],
    ]);
    expect(await events.lastId(b)).toBe(1);
  });
});
