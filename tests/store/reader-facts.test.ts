import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { blankArticle } from '../../src/store/store.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('reader facts on %s', (dialect) => {
  const f = useStore(dialect);

  it('gives what the separate questions give, in one answer', async () => {
    const { store } = f;
    const other = await store.articles.upsert(blankArticle({ slug: `facts-other-${dialect}`, title: 'Other', publishedAt: now, body: 'x' }), now);
    const carol = (await store.users.ensure('carol@example.com', 'Carol', now)).id;
    const a = await store.comments.insert(f.newComment());
    const b = await store.comments.insert(f.newComment({ authorId: carol }));
    const elsewhere = await store.comments.insert(f.newComment({ articleId: other.id }));

    const before = await store.readerFacts.of(f.bob, f.articleId, [a, b]);
    expect(before).toEqual({
      article: await store.articles.stampOf(f.articleId),
      muted: [],
      votes: new Map(),
      hasPending: false,
      follow: await store.notifications.readerFollow(f.bob, f.articleId),
    });

    await store.mutes.add(f.bob, f.alice, now);
    await store.mutes.add(f.bob, carol, now);
    await store.votes.set(a, f.bob, 1, now);
    await store.votes.set(b, f.bob, -1, now);
    await store.votes.set(elsewhere, f.bob, 1, now);
    // Someone else's vote and someone else's held comment are not Bob's.
    await store.votes.set(b, f.alice, 1, now);
    await store.comments.insert(f.newComment({ status: 'pending' }));
    await store.comments.insert(f.newComment({ authorId: f.bob, articleId: other.id, status: 'pending' }));
    const follow = await store.notifications.putFollow({
      articleId: f.articleId,
      email: 'bob@example.com',
      userId: f.bob,
      confirmed: true,
      token: 'facts',
      now,
    });
    await store.notifications.setFollowFeatured(follow.id, true);
    await store.notifications.setPrefs(f.bob, { replies: false, digest: 'daily' });
    await store.articles.setPolicyOverride(f.articleId, 'closed');

    const after = await store.readerFacts.of(f.bob, f.articleId, [a, b]);
    expect(after.article).toEqual(await store.articles.stampOf(f.articleId));
    expect(after.article?.version).not.toBe(before.article?.version);
    expect(after.muted.sort((x, y) => x - y)).toEqual((await store.mutes.idsOf(f.bob)).sort((x, y) => x - y));
    expect(after.muted).toHaveLength(2);
    // Only the comments asked about.
    expect(after.votes).toEqual(
      new Map([
        [a, 1],
        [b, -1],
      ]),
    );
    expect(after.votes).toEqual(await store.votes.ofMany(f.bob, [a, b]));
    expect(after.hasPending).toBe(false);
    expect(after.follow).toEqual({ following: true, featured: true, replies: false, digest: 'daily' });
    expect(after.follow).toEqual(await store.notifications.readerFollow(f.bob, f.articleId));

    await store.comments.insert(f.newComment({ authorId: f.bob, status: 'pending' }));
    expect((await store.readerFacts.of(f.bob, f.articleId, [])).hasPending).toBe(true);
    expect((await store.readerFacts.of(f.bob, f.articleId, [])).votes.size).toBe(0);
    await store.articles.setPolicyOverride(f.articleId, null);
  });

  it("answers a page's list of comments asked again and again as it stands at each asking", async () => {
    const { store } = f;
    const a = await store.comments.insert(f.newComment());
    const b = await store.comments.insert(f.newComment());
    const page = Object.freeze([a, b]);
    expect((await store.readerFacts.of(f.alice, f.articleId, page)).votes).toEqual(new Map());
    await store.votes.set(b, f.alice, -1, now);
    expect((await store.readerFacts.of(f.alice, f.articleId, page)).votes).toEqual(new Map([[b, -1]]));
    // Another list with the same ids, and one never frozen, are asked as they are.
    expect((await store.readerFacts.of(f.alice, f.articleId, Object.freeze([b]))).votes).toEqual(new Map([[b, -1]]));
    expect((await store.readerFacts.of(f.alice, f.articleId, [a])).votes).toEqual(new Map());
  });

  it('says when the article is gone', async () => {
    expect((await f.store.readerFacts.of(f.bob, 987654, [])).article).toBeNull();
  });
});
