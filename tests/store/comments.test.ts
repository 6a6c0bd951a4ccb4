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
});
