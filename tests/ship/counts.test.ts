import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

/* GET /api/v1/counts: comment counts for publishers' listing pages, on both databases. */
const PUBLISHER = 'https://pub.example';
const STORY_URL = `${PUBLISHER}/a/42`;

describe.each(DIALECTS)('comment counts on %s', (dialect) => {
  let p: TestParley;
  let sub: { cookie: string; csrf: string };
  let openId: number;
  let storyId: number;

  const counts = (query: string, headers: Record<string, string> = {}) => p.app.inject({ method: 'GET', url: `/api/v1/counts?${query}`, headers });
  const post = (articleId: number, body: string) =>
    p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: sub.cookie, 'x-csrf-token': sub.csrf },
      payload: { body },
    });

  beforeAll(async () => {
    p = await startParley(dialect, { EMBED_ALLOWED_ORIGINS: PUBLISHER });
    await p.accounts.grant('ada@example.com', null);
    sub = await p.signIn('ada@example.com');
    // An article a publisher's page registered through the embed: its id there is "story-42".
    const frame = await p.app.inject({ method: 'GET', url: `/embed/frame?${new URLSearchParams({ article: 'story-42', url: STORY_URL, title: 'Story 42' })}` });
    expect(frame.statusCode).toBe(200);
    const articles = json(await p.app.inject({ method: 'GET', url: '/api/v1/articles' })).articles as { id: number; slug: string }[];
    openId = articles.find((a) => a.slug === 'open-thread')!.id;
    storyId = articles.find((a) => a.slug.startsWith('e-story-42-'))!.id;
    for (const body of ['one', 'two']) expect((await post(openId, body)).statusCode).toBe(201);
    expect((await post(storyId, 'three')).statusCode).toBe(201);
  });
  afterAll(() => p?.dispose());

  it('answers counts by slug, by the embed id and by URL (fragment ignored), 0 for unknown articles, cacheable for 30 s', async () => {
    const q = new URLSearchParams();
    for (const s of ['open-thread', 'members-thread', 'story-42', 'nothing-here']) q.append('slugs', s);
    for (const u of [STORY_URL, `${STORY_URL}#comments`, 'https://pub.example/unknown']) q.append('urls', u);
    const res = await counts(q.toString());
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({
      counts: {
        'open-thread': 2,
        'members-thread': 0,
        'story-42': 1,
        'nothing-here': 0,
        [STORY_URL]: 1,
        [`${STORY_URL}#comments`]: 1,
        'https://pub.example/unknown': 0,
      },
    });
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    expect(res.headers.vary).toMatch(/Origin/);
    // One slug alone is an array of one (the query coerces it).
    expect(json(await counts('slugs=open-thread'))).toEqual({ counts: { 'open-thread': 2 } });
  });

  it('serves counts from memory for a while: a new comment shows up only after the cache expires', async () => {
    expect(json(await counts('slugs=open-thread&urls=https%3A%2F%2Fpub.example%2Fa%2F42')).counts).toEqual({ 'open-thread': 2, [STORY_URL]: 1 });
    expect((await post(openId, 'four')).statusCode).toBe(201);
    // Cached (the page itself reports 3 at once).
    expect(json(await counts('slugs=open-thread')).counts['open-thread']).toBe(2);
    const listed = json(await p.app.inject({ method: 'GET', url: '/api/v1/articles' })).articles as { slug: string; commentCount: number }[];
    expect(listed.find((a) => a.slug === 'open-thread')!.commentCount).toBe(3);
  });

  it('lets only the allowed publisher origins read the answer from their pages', async () => {
    const allowed = await counts('slugs=open-thread', { origin: PUBLISHER });
    expect(allowed.headers['access-control-allow-origin']).toBe(PUBLISHER);
    const other = await counts('slugs=open-thread', { origin: 'https://evil.example' });
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect((await counts('slugs=open-thread')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('validates the query: at least one and at most 50 articles, well-formed URLs and slugs, nothing else', async () => {
    const bad = async (query: string) => {
      const res = await counts(query);
      expect(res.statusCode, query).toBe(400);
      expect(json(res).error.code, query).toBe('validation');
      expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    };
    await bad('');
    await bad(Array.from({ length: 51 }, (_, i) => `slugs=s${i}`).join('&'));
    await bad(
      [...Array.from({ length: 30 }, (_, i) => `slugs=s${i}`), ...Array.from({ length: 21 }, (_, i) => `urls=https%3A%2F%2Fpub.example%2F${i}`)].join('&'),
    );
    await bad('urls=javascript%3Aalert(1)');
    await bad('urls=https%3A%2F%2Fpub.example%2Fa%20b');
    await bad('slugs=%3Cscript%3E');
    await bad(`slugs=${'x'.repeat(101)}`);
    await bad('slugs=open-thread&sort=top');
    expect((await counts(Array.from({ length: 50 }, (_, i) => `slugs=s${i}`).join('&'))).statusCode).toBe(200);
  });

  it('serves count.js as a script any page may load', async () => {
    const res = await p.app.inject({ method: 'GET', url: '/count.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.body).toContain('data-parley-count');
  });
});
