import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('articles repository on %s', (dialect) => {
  const f = useStore(dialect);
  const input = {
    slug: 'a2',
    url: null,
    title: 'T',
    standfirst: '',
    author: '',
    authorBio: '',
    authorHandle: '',
    image: null,
    imageCredit: '',
    publishedAt: now,
    body: 'b',
    commentPolicy: 'subscribers' as const,
  };
  const updatedAt = async (id: number) =>
    Number((await sql<{ updated_at: number }>`select updated_at from articles where id = ${id}`.execute(f.store.db)).rows[0]!.updated_at);

  it('rewrites an article only when the content folder changed it', async () => {
    const { articles } = f.store;
    const a = await articles.upsert(input, now);
    const later = new Date(now.getTime() + 60_000);
    expect((await articles.upsert(input, later)).id).toBe(a.id);
    expect(await updatedAt(a.id)).toBe(now.getTime());
    expect((await articles.upsert({ ...input, title: 'T2' }, later)).title).toBe('T2');
    expect(await updatedAt(a.id)).toBe(later.getTime());
    expect((await articles.bySlug('a2'))?.id).toBe(a.id);
    expect((await articles.byIds([a.id, f.articleId])).map((x) => x.slug).sort()).toEqual(['a2', 's']);
  });

  it('gives every change of text or policy a new version, none to a reload that changes nothing, and the count beside it', async () => {
    const { articles } = f.store;
    const a = await articles.upsert({ ...input, slug: 'a3' }, now);
    const first = await articles.stampOf(a.id);
    expect(first?.commentCount).toBe(0);
    await articles.upsert({ ...input, slug: 'a3' }, now);
    expect(await articles.stampOf(a.id)).toEqual(first);
    await articles.upsert({ ...input, slug: 'a3', body: 'changed' }, now);
    const second = await articles.stampOf(a.id);
    expect(second?.version).not.toBe(first?.version);
    await articles.setPolicyOverride(a.id, 'closed');
    const third = await articles.stampOf(a.id);
    expect(third?.version).not.toBe(second?.version);
    // A post changes the count, not the version: the text need not be read again.
    await f.store.comments.post(f.newComment({ articleId: a.id }), { author: 'Alice', replyTo: null });
    expect(await articles.stampOf(a.id)).toEqual({ version: third?.version, commentCount: 1 });
    expect(await articles.stampOf(999_999)).toBeNull();
  });
});
