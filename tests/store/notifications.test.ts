import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { blankArticle } from '../../src/store/store.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('notifications repository on %s', (dialect) => {
  const f = useStore(dialect);
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('keeps one follow per article and address, whose confirmation only ever turns on', async () => {
    const { notifications } = f.store;
    const first = await notifications.putFollow({ articleId: f.articleId, email: 'Reader@Example.com', userId: null, confirmed: false, token: 't1', now });
    const again = await notifications.putFollow({ articleId: f.articleId, email: 'reader@example.com', userId: f.bob, confirmed: true, token: 't2', now });
    expect([again.id, again.token, again.confirmed, again.userId]).toEqual([first.id, 't1', true, f.bob]);
    expect(
      (await notifications.putFollow({ articleId: f.articleId, email: 'reader@example.com', userId: null, confirmed: false, token: 't3', now })).confirmed,
    ).toBe(true);
    expect((await notifications.articleFollowers(f.articleId, now)).map((r) => r.email)).toEqual(['reader@example.com']);
    await notifications.deleteFollow(first.id);
    expect(await notifications.followByToken('t1')).toBeNull();
  });

  it("tells a reader's page whether they follow the article, for picks too, and their preferences", async () => {
    const { notifications } = f.store;
    const other = await f.store.articles.upsert(blankArticle({ slug: `other-${dialect}`, title: 'Other', publishedAt: now, body: 'x' }), now);
    expect(await notifications.readerFollow(f.bob, f.articleId)).toEqual({ following: false, featured: false, replies: true, digest: 'instant' });
    // Unconfirmed, it is no follow yet.
    const follow = await notifications.putFollow({ articleId: f.articleId, email: 'bob@example.com', userId: null, confirmed: false, token: 'tb', now });
    expect((await notifications.readerFollow(f.bob, f.articleId)).following).toBe(false);
    await notifications.confirmFollow(follow.id);
    await notifications.setFollowFeatured(follow.id, true);
    await notifications.setPrefs(f.bob, { replies: false, digest: 'daily' });
    expect(await notifications.readerFollow(f.bob, f.articleId)).toEqual({ following: true, featured: true, replies: false, digest: 'daily' });
    // Another article, another reader: not followed.
    expect((await notifications.readerFollow(f.bob, other.id)).following).toBe(false);
    expect((await notifications.readerFollow(f.alice, f.articleId)).following).toBe(false);
  });

  it('queues a mail once per key, leases it to one claimer, and gives back what was not sent', async () => {
    const { notifications } = f.store;
    const mail = { kind: 'reply', recipient: 'a@b.c', userId: null, commentId: null, followId: null, dueAt: now, now };
    await notifications.enqueueMail({ ...mail, dedupeKey: 'k1' });
    await notifications.enqueueMail({ ...mail, dedupeKey: 'k1' });
    await notifications.enqueueMail({ ...mail, dedupeKey: 'k2', dueAt: at(60_000) });
    const claimed = await f.store.transaction((tx) => tx.notifications.claimMail(now, 30_000, 10));
    expect(claimed.map((r) => [r.dedupe_key, r.attempts])).toEqual([['k1', 1]]);
    expect(await f.store.transaction((tx) => tx.notifications.claimMail(at(1000), 30_000, 10))).toEqual([]);
    await notifications.releaseMail(claimed.map((r) => r.id));
    const reclaimed = await f.store.transaction((tx) => tx.notifications.claimMail(at(1000), 30_000, 10));
    expect(reclaimed.map((r) => [r.id, r.attempts])).toEqual([[claimed[0]!.id, 1]]);
    await notifications.finishMail(claimed[0]!.id, { status: 'sent', messageId: 'm1', now: at(2000) });
    // A settled mail goes when old; a pending one stays whatever its age.
    expect(await notifications.pruneOutbox(at(3_600_000), 10)).toBe(1);
    expect((await notifications.outboxRows()).map((r) => [r.dedupe_key, r.status])).toEqual([['k2', 'pending']]);
  });
});
