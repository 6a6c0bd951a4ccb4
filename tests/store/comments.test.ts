import { DUPLICATE_LOOKBACK } from '../../src/store/repositories/comments.js';
import { blankArticle } from '../../src/store/store.js';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('comments repository on %s', (dialect) => {
  const f = useStore(dialect);

  it('keeps counters in step with the rows that move them', async () => {
    const { comments, articles } = f.store;
    const root = await comments.insert(f.newComment());
    const reply = await comments.insert(f.newComment({ parentId: root, rootId: root, depth: 1, authorId: f.bob }));
    await comments.insert(f.newComment({ parentId: reply, rootId: root, depth: 2, status: 'pending' }));
    expect((await comments.byId(root))!.replyCount).toBe(1);
    expect((await articles.byId(f.articleId))!.commentCount).toBe(2);
    expect((await comments.byId(reply))!.replyToName).toBe('Alice');
    await comments.delete((await comments.byId(reply))!, now);
    expect((await articles.byId(f.articleId))!.commentCount).toBe(1);
    // A deleted reply keeps its place in the thread.
    expect((await comments.byId(root))!.replyCount).toBe(1);
    // Reloading the article from its file keeps the discussion's count.
    await articles.upsert(blankArticle({ slug: 's', title: 'T2', publishedAt: now, body: 'b' }), now);
    expect((await articles.byId(f.articleId))!.commentCount).toBe(1);
  });

  it("finds a repeat among the author's latest comments in the window, the earliest first", async () => {
    const { comments } = f.store;
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    const since = at(0);
    // Before the window: not a repeat any more.
    await comments.insert(f.newComment({ authorId: f.bob, bodySrc: 'same words', createdAt: at(-1) }));
    expect(await comments.recentDuplicate(f.bob, 'same words', since)).toBeNull();
    const first = await comments.insert(f.newComment({ authorId: f.bob, bodySrc: 'same words', createdAt: at(1) }));
    await comments.insert(f.newComment({ authorId: f.bob, bodySrc: 'same words', createdAt: at(2) }));
    expect(await comments.recentDuplicate(f.bob, 'same words', since)).toBe(first);
    // Another author's words, and other words, are no repeat.
    expect(await comments.recentDuplicate(f.alice, 'same words', since)).toBeNull();
    expect(await comments.recentDuplicate(f.bob, 'other words', since)).toBeNull();
    // Once the author has written DUPLICATE_LOOKBACK comments since, the words are not compared any more.
    for (let i = 0; i < DUPLICATE_LOOKBACK - 1; i++) await comments.insert(f.newComment({ authorId: f.bob, bodySrc: `filler ${i}`, createdAt: at(3 + i) }));
    expect(await comments.recentDuplicate(f.bob, 'same words', since)).not.toBeNull();
    await comments.insert(f.newComment({ authorId: f.bob, bodySrc: 'filler last', createdAt: at(100) }));
    expect(await comments.recentDuplicate(f.bob, 'same words', since)).toBeNull();
  });

  it("answers repeats from a batch's loaded comments as the query does, its own writes included", async () => {
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    const since = at(1000);
    const carol = (await f.store.users.ensure(`carol-${dialect}@example.com`, 'Carol', now)).id;
    await f.store.comments.insert(f.newComment({ authorId: carol, bodySrc: 'stale words', createdAt: at(999) }));
    const first = await f.store.comments.insert(f.newComment({ authorId: carol, bodySrc: 'said twice', createdAt: at(1001) }));
    await f.store.comments.insert(f.newComment({ authorId: carol, bodySrc: 'said twice', createdAt: at(1002) }));
    const Done = class extends Error {};
    const fresh = (bodySrc: string) => f.newComment({ authorId: carol, bodySrc, createdAt: at(1003) });
    await f.store
      .transaction(async (tx) => {
        await tx.comments.loadRecent([carol]);
        expect(await tx.comments.recentDuplicate(carol, 'said twice', since)).toBe(first);
        expect(await tx.comments.recentDuplicate(carol, 'stale words', since)).toBeNull();
        expect(await tx.comments.recentDuplicate(carol, 'never said', since)).toBeNull();
        // An author the batch did not load is asked about as before.
        expect(await tx.comments.recentDuplicate(f.bob, 'said twice', since)).toBeNull();
        // The batch's own post counts as soon as it is written.
        expect(await tx.comments.recentDuplicate(carol, 'new words', since)).toBeNull();
        const posted = await tx.comments.post(fresh('new words'), { author: 'Carol', replyTo: null });
        expect(await tx.comments.recentDuplicate(carol, 'new words', since)).toBe(posted.comment.id);
        throw new Done();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Done)) throw err;
      });
  });

  it('records every revision in order', async () => {
    const { comments } = f.store;
    const c = await comments.insert(f.newComment({ bodySrc: 'one' }));
    await comments.edit(c, 'two', '<p>two</p>', f.alice, now);
    await comments.edit(c, 'three', '<p>three</p>', f.bob, now);
    expect((await comments.revisionsOf(c)).map((r) => [r.bodySrc, r.editorId])).toEqual([
      ['one', f.alice],
      ['two', f.alice],
      ['three', f.bob],
    ]);
    expect((await comments.byId(c))!.editedByName).toBe('Bob');
  });

  it("answers a reader's post with the comment as it reads back and the article's new count", async () => {
    const { comments, articles } = f.store;
    const root = await comments.insert(f.newComment());
    const count = (await articles.byId(f.articleId))!.commentCount;
    const anchor = {
      selectors: {
        quote: { type: 'TextQuoteSelector' as const, exact: 'b', prefix: '', suffix: '' },
        position: { type: 'TextPositionSelector' as const, start: 0, end: 1 },
      },
      start: 0,
      end: 1,
    };
    const posted = await comments.post(f.newComment({ parentId: root, rootId: root, depth: 1, authorId: f.bob, bodySrc: 'hi' }), {
      author: 'Bob',
      replyTo: 'Alice',
    });
    expect(posted.commentCount).toBe(count + 1);
    expect(posted.comment).toEqual(await comments.byId(posted.comment.id));
    expect((await comments.byId(root))!.replyCount).toBe(1);
    expect((await comments.revisionsOf(posted.comment.id)).map((r) => r.bodySrc)).toEqual(['hi']);
    // A held post moves no counter; one on a passage keeps where it was found.
    const held = await comments.post(f.newComment({ status: 'pending', anchor }), { author: 'Alice', replyTo: null });
    expect(held.commentCount).toBe(count + 1);
    expect(held.comment).toEqual(await comments.byId(held.comment.id));
    expect(held.comment.anchor).not.toBeNull();
  });
});
