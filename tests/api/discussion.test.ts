import { blankArticle } from '../../src/store/store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { apiClient, ok, type Answer, type ApiClient } from '../support/api-client.js';
import { json, startParley, type TestParley } from '../support/harness.js';

describe.each(DIALECTS)('discussion API on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  let membersId: number;
  let closedId: number;
  let sub: { cookie: string; csrf: string };
  let sub2: { cookie: string; csrf: string };
  let guest: { cookie: string; csrf: string };
  let api: ApiClient;

  const as = (who: { cookie: string; csrf: string } | null) => (who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {});
  const post = (who: typeof sub | null, body: unknown, id = articleId) =>
    p.app.inject({ method: 'POST', url: `/api/v1/articles/${id}/comments`, headers: as(who), payload: body as object });
  const vote = (who: typeof sub | null, commentId: number, value: number) =>
    p.app.inject({ method: 'PUT', url: `/api/v1/comments/${commentId}/vote`, headers: as(who), payload: { value } });

  beforeAll(async () => {
    p = await startParley(dialect, { PAGE_SIZE: '3', REPLIES_PER_THREAD: '2' });
    api = apiClient(p.app);
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    membersId = (await p.store.articles.bySlug('members-thread'))!.id;
    closedId = (await p.store.articles.bySlug('closed-thread'))!.id;
    await p.accounts.grant('ada@example.com', null);
    await p.accounts.grant('bob@example.com', new Date('2027-01-01'));
    sub = await p.signIn('ada@example.com');
    sub2 = await p.signIn('bob@example.com');
    guest = await p.signIn('gus@example.com');
  });
  afterAll(() => p?.dispose());

  // The first tests speak through the typed client (tests/support/api-client.ts); the raw helpers
  // above stay for requests no well-typed caller could send.
  it('lets a subscriber post and reply, and counts replies', async () => {
    const r1 = await api.post(sub, articleId, 'Hello *world* 👋🏽 — ünïcödé');
    expect(r1.status).toBe(201);
    const c1 = ok(r1).comment;
    expect(c1.bodyHtml).toContain('<em>world</em>');
    expect(c1.bodyHtml).toContain('👋🏽');
    expect(c1.author?.name).toBe('Ada');
    const r2 = ok(await api.post(sub2, articleId, 'A reply', { parentId: c1.id }));
    expect(r2.comment.replyTo).toBe('Ada');
    expect(r2.commentCount).toBe(2);
    const thread = ok(await api.thread(null, r2.comment.id));
    expect(thread.comment.id).toBe(c1.id);
    expect(thread.replies.map((r) => r.id)).toEqual([r2.comment.id]);
  });

  it('refuses posts and votes from people who may not take part', async () => {
    const refused = async (a: Promise<Answer<unknown>>) => {
      const r = await a;
      if (r.ok) throw new Error(`expected a refusal, got ${r.status}`);
      return { status: r.status, code: r.body.error.code };
    };
    expect(await refused(api.post(null, articleId, 'hi'))).toEqual({ status: 401, code: 'unauthenticated' });
    expect(await refused(api.post(guest, articleId, 'hi'))).toEqual({ status: 403, code: 'subscribe' });
    const c = ok(await api.post(sub, articleId, 'vote on me')).comment;
    expect(await refused(api.vote(guest, c.id, 1))).toEqual({ status: 403, code: 'subscribe' });
    expect((await api.vote(null, c.id, 1)).status).toBe(401);
    expect(await refused(api.post(sub, closedId, 'hi'))).toEqual({ status: 403, code: 'closed' });
    // "members" articles take any signed-in reader.
    expect((await api.post(guest, membersId, 'members may talk')).status).toBe(201);
  });

  it('counts a vote twice as once, changes and retracts it, and refuses self-votes', async () => {
    const c = ok(await api.post(sub, articleId, 'vote target')).comment;
    expect(ok(await api.vote(sub2, c.id, 1))).toEqual({ up: 1, down: 0, score: 1, myVote: 1 });
    expect(ok(await api.vote(sub2, c.id, 1))).toMatchObject({ up: 1, down: 0, score: 1 });
    expect(ok(await api.vote(sub2, c.id, -1))).toMatchObject({ up: 0, down: 1, score: -1 });
    expect(ok(await api.vote(sub2, c.id, 0))).toEqual({ up: 0, down: 0, score: 0, myVote: 0 });
    const own = await api.vote(sub, c.id, 1);
    expect(own.status).toBe(403);
    expect(own.ok ? null : own.body.error.code).toBe('own_comment');
    const both = await Promise.all([api.vote(sub2, c.id, 1), api.vote(sub2, c.id, 1), api.vote(sub2, c.id, 1)]);
    expect(both.every((r) => r.status === 200)).toBe(true);
    expect((await p.store.comments.byId(c.id))!.score).toBe(1);
    const page = ok(await api.page(sub2, articleId, 'newest'));
    expect(page.sort).toBe('newest');
    expect(page.threads.find((t) => t.comment.id === c.id)?.comment.myVote).toBe(1);
  });

  it('lets authors edit within the window, keeps every revision, and shows who edited', async () => {
    const c = json(await post(sub, { body: 'first words' })).comment;
    const other = await p.app.inject({ method: 'PATCH', url: `/api/v1/comments/${c.id}`, headers: as(sub2), payload: { body: 'hijacked' } });
    expect(other.statusCode).toBe(403);
    expect(json(other).error.code).toBe('edit_forbidden');
    const ok = await p.app.inject({ method: 'PATCH', url: `/api/v1/comments/${c.id}`, headers: as(sub), payload: { body: 'second words' } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).comment).toMatchObject({ editedBy: 'Ada', bodySrc: 'second words' });
    expect((await p.store.comments.revisionsOf(c.id)).map((r) => r.bodySrc)).toEqual(['first words', 'second words']);
    p.clock.advance(25 * 3600_000);
    const late = await p.app.inject({ method: 'PATCH', url: `/api/v1/comments/${c.id}`, headers: as(sub), payload: { body: 'third words' } });
    expect(late.statusCode).toBe(403);
  });

  it('leaves a placeholder with its replies when an author deletes', async () => {
    const parent = json(await post(sub, { body: 'to be deleted' })).comment;
    const child = json(await post(sub2, { body: 'child', parentId: parent.id })).comment;
    const before = (await p.store.articles.byId(articleId))!.commentCount;
    expect((await p.app.inject({ method: 'DELETE', url: `/api/v1/comments/${parent.id}`, headers: as(sub2) })).statusCode).toBe(403);
    const del = await p.app.inject({ method: 'DELETE', url: `/api/v1/comments/${parent.id}`, headers: as(sub) });
    expect(del.statusCode).toBe(200);
    expect(json(del).comment).toMatchObject({ status: 'deleted', author: null, bodyHtml: '' });
    expect(json(del).commentCount).toBe(before - 1);
    const thread = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${child.id}/thread` }));
    expect(thread.comment.status).toBe('deleted');
    expect(thread.replies.map((r: { id: number }) => r.id)).toContain(child.id);
    expect(thread.replies[0].replyTo).toBeNull();
    expect((await post(sub, { body: 'reply to a ghost', parentId: parent.id })).statusCode).toBe(400);
  });

  it('answers bad input with a 4xx JSON error and never a stack trace', async () => {
    const bad = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { ...as(sub), 'content-type': 'application/json' },
      payload: '{"body": "oops',
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('bad_json');
    const unknown = await post(sub, { body: 'x', admin: true });
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).error.code).toBe('validation');
    const huge = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { ...as(sub), 'content-type': 'application/json' },
      payload: JSON.stringify({ body: 'x'.repeat(300_000) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(json(huge).error.code).toBe('body_too_large');
    const long = await post(sub, { body: 'é'.repeat(10_001) });
    expect(long.statusCode).toBe(400);
    expect(json(long).error).toMatchObject({ code: 'comment_too_long' });
    expect(json(long).error.message).toContain('10,000');
    expect((await post(sub, { body: '😀'.repeat(10_000) })).statusCode).toBe(201);
    const empty = await post(sub, { body: '   \n ' });
    expect(json(empty).error.code).toBe('comment_empty');
    for (const cursor of ['not-a-cursor', Buffer.from('{"s":"newest","w":1,"k":1,"i":1}').toString('base64url'), 'eyJ']) {
      const res = await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments?sort=top&cursor=${cursor}` });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.code).toBe('bad_cursor');
    }
    const badSort = await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments?sort=random` });
    expect(badSort.statusCode).toBe(400);
    const missing = await p.app.inject({ method: 'GET', url: `/api/v1/articles/999999/comments` });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.code).toBe('article_not_found');
    for (const res of [bad, unknown, huge, long, missing]) expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('refuses writes without the session CSRF token or from another origin', async () => {
    const noToken = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: sub.cookie },
      payload: { body: 'csrf?' },
    });
    expect(noToken.statusCode).toBe(403);
    expect(json(noToken).error.code).toBe('csrf');
    const wrong = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: sub.cookie, 'x-csrf-token': guest.csrf },
      payload: { body: 'csrf?' },
    });
    expect(wrong.statusCode).toBe(403);
    const foreign = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { ...as(sub), origin: 'https://evil.example' },
      payload: { body: 'csrf?' },
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('pages top-level comments by cursor without shifting when new ones arrive', async () => {
    const fresh = (await p.store.articles.upsert(blankArticle({ slug: 'paging', title: 'Paging', publishedAt: new Date(), body: 'x' }), new Date())).id;
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      p.clock.advance(1000);
      ids.push(json(await post(sub, { body: `top ${i}` }, fresh)).comment.id);
    }
    // Votes make "top" order differ from time order.
    await vote(sub2, ids[2]!, 1);
    await vote(sub2, ids[5]!, -1);
    const page1 = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${fresh}/comments?sort=newest` }));
    expect(page1.threads.map((t: any) => t.comment.id)).toEqual([ids[6], ids[5], ids[4]]);
    p.clock.advance(1000);
    await post(sub, { body: 'arrived later' }, fresh);
    const page2 = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${fresh}/comments?sort=newest&cursor=${page1.nextCursor}` }));
    expect(page2.threads.map((t: any) => t.comment.id)).toEqual([ids[3], ids[2], ids[1]]);
    const page3 = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${fresh}/comments?sort=newest&cursor=${page2.nextCursor}` }));
    expect(page3.threads.map((t: any) => t.comment.id)).toEqual([ids[0]]);
    expect(page3.nextCursor).toBeNull();
    // Guests share a cached first page; every write under the article must refresh it.
    const guestFirst = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${fresh}/comments?sort=newest` }));
    expect(guestFirst.threads[0].comment.bodyHtml).toContain('arrived later');
    const latest = guestFirst.threads[0].comment.id;
    await vote(sub2, latest, 1);
    expect(json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${fresh}/comments?sort=newest` })).threads[0].comment.score).toBe(1);
    await vote(sub2, latest, 0);
    const top = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${fresh}/comments?sort=top` }));
    expect(top.threads[0].comment.id).toBe(ids[2]);
    const oldest = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${fresh}/comments?sort=oldest` }));
    expect(oldest.threads.map((t: any) => t.comment.id)).toEqual([ids[0], ids[1], ids[2]]);
    const all: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${fresh}/comments?sort=top${cursor ? `&cursor=${cursor}` : ''}` }));
      all.push(...page.threads.map((t: any) => t.comment.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(8);
    expect(all.at(-1)).toBe(ids[5]);
  });

  it('shows at most M replies per thread and loads the rest on demand, deep links included', async () => {
    const root = json(await post(sub, { body: 'root of a long thread' })).comment;
    const replies: number[] = [];
    let parent = root.id;
    for (let i = 0; i < 7; i++) {
      p.clock.advance(1000);
      const r = json(await post(i % 2 ? sub : sub2, { body: `reply ${i}`, parentId: parent })).comment;
      replies.push(r.id);
      parent = r.id;
    }
    const page = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments?sort=newest` }));
    const t = page.threads.find((x: any) => x.comment.id === root.id);
    expect(t.replies.map((r: any) => r.id)).toEqual(replies.slice(0, 2));
    expect(t.moreReplies).toBe(5);
    expect(t.replies[1].depth).toBe(2);
    const more = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${root.id}/replies?cursor=${t.repliesCursor}` }));
    expect(more.replies.map((r: any) => r.id)).toEqual(replies.slice(2));
    expect(more.repliesCursor).toBeNull();
    const deep = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${replies[5]}/thread` }));
    expect(deep.comment.id).toBe(root.id);
    expect(deep.replies.map((r: any) => r.id)).toContain(replies[5]);
    // Without JavaScript, `Show K more replies` links to the root: the page then shows the whole thread.
    const whole = await p.app.inject({ method: 'GET', url: `/articles/open-thread?comment=${root.id}` });
    for (const id of replies) expect(whole.body).toContain(`id="comment-${id}"`);
    const html = await p.app.inject({ method: 'GET', url: `/articles/open-thread?comment=${replies[5]}` });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain(`id="comment-${replies[5]}"`);
  });

  it('ends manual grants at their date and on revoke', async () => {
    await p.accounts.grant('tmp@example.com', new Date('2026-12-01T00:00:00Z'));
    const tmp = await p.signIn('tmp@example.com');
    expect(json(await p.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: tmp.cookie } })).viewer.subscriber).toBe(true);
    await p.accounts.revoke('tmp@example.com');
    expect(json(await p.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: tmp.cookie } })).viewer.subscriber).toBe(false);
  });

  it('serves the OpenAPI document, health, and pages that work without JavaScript', async () => {
    const doc = json(await p.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
    expect(Object.keys(doc.paths)).toContain('/api/v1/articles/{id}/comments');
    expect(json(await p.app.inject({ method: 'GET', url: '/healthz' }))).toEqual({ ok: true });
    const page = await p.app.inject({ method: 'GET', url: '/articles/open-thread' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('A test article for subscribers');
    expect(page.body).toMatch(/November 10, 2026 - 5:00pm/);
    expect(page.body).toMatch(/\d+ Comments/);
    const home = await p.app.inject({ method: 'GET', url: '/' });
    expect(home.body).toContain('/articles/open-thread');
  });
});
