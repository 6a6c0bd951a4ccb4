import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderHistory, SearchPage } from '../../src/domain/search-views.js';
import { importDisqus } from '../../src/services/import/disqus.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(DIALECTS)('moderators search comments on %s', (dialect) => {
  let p: TestParley;
  let open: number;
  let members: number;
  let mod: Who;
  let ada: Who;
  let bob: Who;
  let cy: Who;
  let dee: Who;
  const ids: Record<string, number> = {};

  const api = (who: Who | null, method: Method, url: string, payload?: object) =>
    p.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {},
      ...(payload ? { payload } : {}),
    });
  const posted = async (who: Who, body: string, article = open, parentId?: number) => {
    const res = await api(who, 'POST', `/articles/${article}/comments`, { body, ...(parentId ? { parentId } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).comment.id as number;
  };
  /** The search as a moderator asks it; the answer must be a 200. */
  const find = async (params: Record<string, string | number>, who: Who = mod): Promise<SearchPage> => {
    const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    const res = await api(who, 'GET', `/admin/search?${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return json(res) as SearchPage;
  };
  const idsOf = (page: SearchPage) => page.results.map((r) => r.id).sort((a, b) => a - b);

  beforeAll(async () => {
    p = await startParley(dialect, { REPORTS_TO_HIDE: '2' });
    open = (await p.store.articles.bySlug('open-thread'))!.id;
    members = (await p.store.articles.bySlug('members-thread'))!.id;
    const people = ['mia', 'ada', 'bob', 'cy', 'dee'];
    for (const e of people) await p.accounts.grant(`${e}@example.com`, null);
    await p.moderation.setRoleByEmail('mia@example.com', 'moderator', 'Mia Moderator');
    [mod, ada, bob, cy, dee] = (await Promise.all(people.map((e) => p.signIn(`${e}@example.com`)))) as [Who, Who, Who, Who, Who];
    for (const e of people) ids[e] = (await p.store.users.byEmail(`${e}@example.com`))!.id;
    const names: Record<string, string> = { ada: 'Ada Lovelace', bob: 'Bob Stone', cy: 'Cy Twombly', dee: 'Dee Dee' };
    for (const [e, name] of Object.entries(names)) await p.store.users.setDisplayName(ids[e]!, name);
    // Established accounts: no new-account rule holds their comments.
    p.clock.advance(25 * HOUR);
  });
  afterAll(() => p?.dispose());

  it('keeps readers (403) and guests (401) out of the search and the histories', async () => {
    for (const url of ['/admin/search?q=anything', `/admin/users/${ids.ada}/history`]) {
      const asReader = await api(bob, 'GET', url);
      expect(asReader.statusCode, url).toBe(403);
      expect(json(asReader).error.code).toBe('not_moderator');
      expect((await api(null, 'GET', url)).statusCode, url).toBe(401);
    }
    const page = await p.app.inject({ method: 'GET', url: '/admin/search?q=x', headers: { cookie: bob.cookie } });
    expect(page.statusCode).toBe(403);
    expect(page.body).not.toContain('search-results');
    const guest = await p.app.inject({ method: 'GET', url: '/admin/users/1' });
    expect(guest.statusCode).toBe(303);
  });

  it('finds comments by their words, in any form the engine stems, and phrases in order', async () => {
    const argued = await posted(ada, 'The referees were arguing about offside decisions all evening.');
    await posted(bob, 'Nothing to see in this one about weather.');
    expect(idsOf(await find({ q: 'argue' }))).toEqual([argued]);
    expect(idsOf(await find({ q: 'ARGUED referee' }))).toEqual([argued]);
    expect(idsOf(await find({ q: '"offside decisions"' }))).toEqual([argued]);
    expect((await find({ q: '"decisions offside"' })).total).toBe(0);
    expect((await find({ q: 'argue weather' })).total).toBe(0);
    // Engine operators in the box are words, not syntax errors.
    expect((await find({ q: 'argue OR NEAR( "unclosed * -x' })).total).toBe(0);
    expect(idsOf(await find({ q: 'argu* (offside)' }))).toEqual([argued]);
  });

  it('highlights the matched words and never turns a comment into markup', async () => {
    const id = await posted(cy, '<script>alert(1)</script> <img src=x onerror=alert(2)> a dangerous marmot appears');
    const [r] = (await find({ q: 'marmot' })).results;
    expect(r!.id).toBe(id);
    expect(r!.snippet.filter((s) => s.match).map((s) => s.text.toLowerCase())).toEqual(['marmot']);
    // The words around the match come back as text, markup characters and all.
    expect(r!.snippet.map((s) => s.text).join('')).toContain('onerror=alert(2)>');
    expect(r!.links.comment).toBe(`/articles/open-thread?comment=${id}#comment-${id}`);
    expect(r!.links.history).toBe(`/admin/users/${ids.cy}`);
    const html = (await p.app.inject({ method: 'GET', url: '/admin/search?q=marmot', headers: { cookie: mod.cookie } })).body;
    expect(html).toMatch(/<mark>marmot<\/mark>/);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
  });

  it('combines the author, article, status, date and report filters', async () => {
    const a1 = await posted(ada, 'The harbour lights were lovely tonight.');
    const b1 = await posted(bob, 'I walked along the harbour wall.');
    const a2 = await posted(ada, 'Harbours need dredging every decade.', members);
    expect(idsOf(await find({ q: 'harbour' }))).toEqual([a1, b1, a2]);
    expect(idsOf(await find({ q: 'harbour', author: 'ada@example.com' }))).toEqual([a1, a2]);
    expect(idsOf(await find({ q: 'harbour', author: 'LOVELACE' }))).toEqual([a1, a2]);
    expect(idsOf(await find({ q: 'harbour', authorId: ids.bob! }))).toEqual([b1]);
    expect(idsOf(await find({ q: 'harbour', author: 'ada@example.com', article: 'open-thread' }))).toEqual([a1]);
    expect(idsOf(await find({ q: 'harbour', articleId: members }))).toEqual([a2]);
    // A wildcard in a name is a character, not a pattern.
    expect((await find({ author: '%' })).total).toBe(0);

    // Status: a rejected comment, one hidden by reports, one waiting for review.
    expect((await api(mod, 'POST', `/admin/comments/${b1}/reject`, { reason: 'rude' })).statusCode).toBe(200);
    expect(idsOf(await find({ q: 'harbour', status: 'rejected' }))).toEqual([b1]);
    expect(idsOf(await find({ q: 'harbour', status: 'visible' }))).toEqual([a1, a2]);
    for (const who of [cy, dee]) expect((await api(who, 'POST', `/comments/${a1}/report`, { reason: 'spam' })).statusCode).toBe(201);
    expect(idsOf(await find({ q: 'harbour', status: 'hidden' }))).toEqual([a1]);
    expect((await find({ q: 'harbour', status: 'pending' })).total).toBe(0);
    const [hidden] = (await find({ q: 'harbour', status: 'hidden' })).results;
    expect(hidden!.reports).toEqual({ open: 2, total: 2 });
    expect(hidden!.links.moderation).toBe(`/admin?tab=reported#item-${a1}`);

    // Reports: open until a moderator settles them, then still "reported at some time".
    expect(idsOf(await find({ q: 'harbour', reports: 'open' }))).toEqual([a1]);
    expect((await api(mod, 'POST', `/admin/comments/${a1}/approve`)).statusCode).toBe(200);
    expect((await find({ q: 'harbour', reports: 'open' })).total).toBe(0);
    expect(idsOf(await find({ q: 'harbour', reports: 'any' }))).toEqual([a1]);
    expect(idsOf(await find({ q: 'harbour', reports: 'any', status: 'visible', author: 'ada' }))).toEqual([a1]);

    // Dates: whole days, both ends included.
    const today = p.clock.now().toISOString().slice(0, 10);
    p.clock.advance(2 * DAY);
    const later = await posted(ada, 'Back at the harbour two days on.');
    const laterDay = p.clock.now().toISOString().slice(0, 10);
    expect(idsOf(await find({ q: 'harbour', from: laterDay }))).toEqual([later]);
    expect(idsOf(await find({ q: 'harbour', to: today }))).toEqual([a1, b1, a2]);
    expect(idsOf(await find({ q: 'harbour', from: today, to: today, author: 'ada@example.com' }))).toEqual([a1, a2]);
    expect(idsOf(await find({ q: 'harbour', from: laterDay, to: laterDay, author: 'bob@example.com' }))).toEqual([]);
  });

  it('follows every write path at once: post, author edit, moderator edit, delete, erasure, import', async () => {
    const id = await posted(dee, 'A zebra crossed the road.');
    expect(idsOf(await find({ q: 'zebra' }))).toEqual([id]);
    expect((await api(dee, 'PATCH', `/comments/${id}`, { body: 'A giraffe crossed the road.' })).statusCode).toBe(200);
    expect((await find({ q: 'zebra' })).total).toBe(0);
    expect(idsOf(await find({ q: 'giraffe' }))).toEqual([id]);
    expect((await api(mod, 'PATCH', `/admin/comments/${id}`, { body: 'An okapi crossed the road.' })).statusCode).toBe(200);
    expect((await find({ q: 'giraffe' })).total).toBe(0);
    expect(idsOf(await find({ q: 'okapi' }))).toEqual([id]);
    expect((await api(dee, 'DELETE', `/comments/${id}`)).statusCode).toBe(200);
    expect((await find({ q: 'okapi' })).total).toBe(0);
    expect(idsOf(await find({ author: 'dee@example.com', status: 'deleted' }))).toEqual([id]);

    // Deleting an account with its comments erases their words from the index too.
    const gone = await p.signIn('gone@example.com');
    await p.accounts.grant('gone@example.com', null);
    const q1 = await posted(gone, 'A quokka smiled for the camera.');
    expect(idsOf(await find({ q: 'quokka' }))).toEqual([q1]);
    expect((await api(gone, 'DELETE', '/me', { eraseComments: true })).statusCode).toBe(200);
    expect((await find({ q: 'quokka' })).total).toBe(0);

    // Import writes in bulk, past the services: its comments are found all the same.
    expect((await find({ q: 'quoting' })).total).toBe(0);
    await importDisqus(p.store.db, 'tests/fixtures/import/disqus.xml', { now: p.clock.now() });
    const imported = await find({ q: 'quoting' });
    expect(imported.total).toBe(1);
    expect(imported.results[0]!.snippet.some((s) => s.match && /quot/i.test(s.text))).toBe(true);
  });

  it('pages through every comment of one reader, newest first, with a total', async () => {
    const mine: number[] = [];
    for (let i = 0; i < 7; i++) {
      mine.push(await posted(bob, `Paging comment number ${i} about lighthouses.`));
      p.clock.advance(60_000);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SearchPage = await find({ author: 'bob@example.com', q: 'lighthouse', limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(7);
      seen.push(...page.results.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...mine].reverse());
  });

  it('gives the same answers whichever index the engine walks (few matches, many matches, ANALYZEd)', async () => {
    // Enough comments that a common word takes the newest-first road and a rare one the word index's.
    const inserted: number[] = [];
    await p.store.transaction(async (tx) => {
      for (let i = 0; i < 520; i++) {
        const at = new Date(p.clock.now().getTime() + i * 1000);
        const body = i === 260 ? 'A filler note about a solitary narwhal.' : `A filler note, number ${i}.`;
        inserted.push(
          await tx.comments.insert({
            articleId: members,
            parentId: null,
            rootId: null,
            depth: 0,
            authorId: ids.dee!,
            bodySrc: body,
            bodyHtml: `<p>${body}</p>`,
            status: 'visible',
            createdAt: at,
          }),
        );
      }
    });
    if (dialect === 'postgres') await sql`analyze comments`.execute(p.store.db);
    const newest = [...inserted].reverse();
    const common = await find({ q: 'filler notes', limit: 25 });
    expect(common.total).toBe(520);
    expect(common.results.map((r) => r.id)).toEqual(newest.slice(0, 25));
    const next = await find({ q: 'filler notes', limit: 25, cursor: common.nextCursor! });
    expect(next.results.map((r) => r.id)).toEqual(newest.slice(25, 50));
    expect(idsOf(await find({ q: 'narwhal' }))).toEqual([inserted[260]]);
    expect((await find({ q: 'filler', status: 'visible', limit: 5 })).results.map((r) => r.id)).toEqual(newest.slice(0, 5));
    expect((await find({ q: 'filler', author: 'Dee', limit: 5 })).total).toBe(520);
  });

  it('refuses filters it cannot read with a 400', async () => {
    const bad = [
      'status=lost',
      'reports=maybe',
      'from=2026-13-01',
      'from=2026-02-31',
      'from=2026-11-20&to=2026-11-19',
      'from=yesterday',
      'cursor=abc',
      'limit=0',
      'limit=1000',
      'authorId=-1',
      'sort=top',
      `q=${'x'.repeat(201)}`,
    ];
    for (const qs of bad) {
      const res = await api(mod, 'GET', `/admin/search?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(typeof json(res).error.code, qs).toBe('string');
    }
    expect(json(await api(mod, 'GET', '/admin/search?from=2026-11-20&to=2026-11-19')).error.code).toBe('bad_date_range');
    const page = await p.app.inject({ method: 'GET', url: '/admin/search?from=2026-11-20&to=2026-11-19', headers: { cookie: mod.cookie } });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('The dates are not valid');
    expect((await api(mod, 'GET', '/admin/users/999999/history')).statusCode).toBe(404);
    const missing = await p.app.inject({ method: 'GET', url: '/admin/users/999999', headers: { cookie: mod.cookie } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
  });

  it("shows a reader's history: comments, reports against them and by them, actions taken", async () => {
    const c = await posted(cy, 'Cy writes about pelicans.');
    const b = await posted(bob, 'Bob writes about puffins.');
    expect((await api(ada, 'POST', `/comments/${c}/report`, { reason: 'abuse', text: 'not nice' })).statusCode).toBe(201);
    expect((await api(cy, 'POST', `/comments/${b}/report`, { reason: 'off_topic' })).statusCode).toBe(201);
    expect((await api(mod, 'POST', `/admin/comments/${c}/reject`, { reason: 'pelican abuse' })).statusCode).toBe(200);
    expect((await api(mod, 'POST', `/admin/users/${ids.cy}/suspend`, { hours: 24, reason: 'cool off' })).statusCode).toBe(200);

    const res = await api(mod, 'GET', `/admin/users/${ids.cy}/history`);
    expect(res.statusCode, res.body).toBe(200);
    const h = json(res) as ReaderHistory;
    expect(h.user).toMatchObject({ id: ids.cy, email: 'cy@example.com' });
    expect(h.user.suspendedUntil).not.toBeNull();
    expect(h.comments.results.map((r) => r.id)).toContain(c);
    expect(h.comments.results.every((r) => r.author.id === ids.cy)).toBe(true);
    expect(h.statusCounts.rejected).toBeGreaterThanOrEqual(1);
    expect(h.reportsAgainst.items[0]).toMatchObject({ commentId: c, reporter: { id: ids.ada }, reason: 'abuse', text: 'not nice' });
    expect(h.reportsAgainst.items[0]!.resolvedAt).not.toBeNull();
    expect(h.reportsMade.items.map((r) => r.commentId)).toContain(b);
    expect(h.reportsMade.items.find((r) => r.commentId === b)).toMatchObject({ commentAuthor: { id: ids.bob }, resolvedAt: null });
    const actions = h.actions.items.map((a) => [a.action, a.targetType, a.targetId]);
    expect(actions).toContainEqual(['comment.reject', 'comment', c]);
    expect(actions).toContainEqual(['user.suspend', 'user', ids.cy]);
    expect(h.actions.items.every((a) => a.targetType !== 'comment' || h.comments.total > 0)).toBe(true);
    // Nothing about Bob's own comment leaks into Cy's actions.
    expect(actions.some(([, type, id]) => type === 'comment' && id === b)).toBe(false);

    const page = await p.app.inject({ method: 'GET', url: `/admin/users/${ids.cy}`, headers: { cookie: mod.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('pelicans');
    expect(page.body).toContain('Reports they made');
    expect(page.body).toContain('user.suspend');
  });
});
