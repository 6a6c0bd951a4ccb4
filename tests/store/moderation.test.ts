import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('moderation repository on %s', (dialect) => {
  const f = useStore(dialect);

  it('takes one report per reader, queues the comment until resolved, and counts it once', async () => {
    const { moderation } = f.store;
    const c = await f.store.comments.insert(f.newComment());
    const report = { commentId: c, reporterId: f.bob, reason: 'spam', text: '', now };
    expect(await moderation.addReport(report)).toBe(true);
    expect(await moderation.addReport(report)).toBe(false);
    expect(await moderation.addReport({ ...report, reporterId: f.alice })).toBe(true);
    expect(await moderation.openReportCount(c)).toBe(2);
    expect(await moderation.countReported()).toBe(1);
    expect((await moderation.reportedQueue(0, 10)).map((x) => x.id)).toEqual([c]);
    expect((await moderation.openReportsFor([c])).map((r) => r.reporterName)).toEqual(['Bob', 'Alice']);
    await moderation.resolveReports([c], f.alice, now);
    expect([await moderation.openReportCount(c), await moderation.countReported()]).toEqual([0, 0]);
    expect(await moderation.reportedQueue(0, 10)).toEqual([]);
  });

  it('lists the audit log newest first, page by page', async () => {
    const { moderation } = f.store;
    for (const action of ['a', 'b', 'c']) await moderation.audit({ actorId: f.alice, action, targetType: 'comment', targetId: 1, details: { action }, now });
    const page = await moderation.auditLog(null, 2);
    expect(page.map((e) => [e.action, e.actor?.name, e.details])).toEqual([
      ['c', 'Alice', { action: 'c' }],
      ['b', 'Alice', { action: 'b' }],
    ]);
    expect((await moderation.auditLog(page[1]!.id, 2)).map((e) => e.action)).toEqual(['a']);
  });

  it("reads a post's rules with the article's stamp in one statement, as the separate reads give them", async () => {
    const { moderation, settings, articles } = f.store;
    const key = 'moderation.rules.test';
    expect(await moderation.rulesWithArticle(f.articleId, key)).toEqual({ site: null, own: null, article: await articles.stampOf(f.articleId) });
    await settings.put(key, '{"premoderateLinks":true}');
    await moderation.setArticleSettings(f.articleId, '{"premoderateAll":true}');
    const read = await moderation.rulesWithArticle(f.articleId, key);
    expect(read).toEqual({ site: await settings.get(key), own: await moderation.articleSettings(f.articleId), article: await articles.stampOf(f.articleId) });
    expect([read?.site, read?.own]).toEqual(['{"premoderateLinks":true}', '{"premoderateAll":true}']);
    expect(await moderation.rulesWithArticle(987_654, key)).toBeNull();
    await moderation.setArticleSettings(f.articleId, null);
  });
});
