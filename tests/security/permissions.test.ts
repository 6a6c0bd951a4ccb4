import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

let seq = 0;
/** Unique text, so the duplicate rule never trips a test by accident. */
const text = (s: string) => `${s} #${++seq}`;

/**
 * Issue 11: the permission matrix (tests/unit/permissions.test.ts) as the real endpoints apply it.
 * Each cell here goes through HTTP, sessions and the database, on both dialects.
 */
describe.each(DIALECTS)('permissions over HTTP on %s', (dialect) => {
  let p: TestParley;
  let article: number;
  const who: Record<string, Who> = {};
  const ids: Record<string, number> = {};

  const api = (w: Who | null, method: Method, url: string, payload?: object) =>
    p.app.inject({ method, url: `/api/v1${url}`, headers: w ? { cookie: w.cookie, 'x-csrf-token': w.csrf } : {}, ...(payload ? { payload } : {}) });
  /** Status and error code, the two things a client acts on. */
  const answer = async (res: Promise<{ statusCode: number; body: string }>) => {
    const r = await res;
    const code = r.statusCode >= 400 ? (JSON.parse(r.body) as { error: { code: string } }).error.code : 'ok';
    return `${r.statusCode} ${code}`;
  };
  const posted = async (w: Who, body = text('a comment')) => {
    const res = await api(w, 'POST', `/articles/${article}/comments`, { body });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).comment.id as number;
  };
  const row = async (id: number) => (await p.store.comments.byId(id))!;
  const viewer = async (w: Who) => json(await api(w, 'GET', '/session')).viewer as { id: number } | null;
  const page = (w: Who, url: string) => p.app.inject({ method: 'GET', url, headers: { cookie: w.cookie } });
  const form = (w: Who, url: string, fields: Record<string, string>) =>
    p.app.inject({
      method: 'POST',
      url,
      headers: { cookie: w.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: w.csrf, ...fields }).toString(),
    });

  /** Every staff endpoint that acts on comment `c`, with what it sends. */
  const staffCalls = (c: number): [Method, string, object?][] => [
    ['GET', '/admin/queue'],
    ['POST', `/admin/comments/${c}/approve`],
    ['POST', `/admin/comments/${c}/reject`, { reason: 'x' }],
    ['POST', '/admin/comments/bulk', { action: 'reject', ids: [c] }],
    ['PATCH', `/admin/comments/${c}`, { body: 'hijacked' }],
    ['PUT', `/admin/comments/${c}/pin`, { pinned: true }],
    ['PUT', `/admin/comments/${c}/lock`, { locked: true }],
    ['PUT', `/admin/articles/${article}/policy`, { policy: 'closed' }],
    ['POST', `/admin/users/${ids.ada}/suspend`, { hours: 24 }],
    ['PUT', `/admin/users/${ids.ada}/ban`, { banned: true }],
  ];
  /** Nothing a refused staff call could have done to `c`, its author or its article happened. */
  const untouched = async (c: number) => {
    expect(await row(c)).toMatchObject({ status: 'visible', pinned: false, locked: false });
    expect((await row(c)).bodySrc).not.toBe('hijacked');
    expect((await p.store.users.byId(ids.ada!))!).toMatchObject({ banned: false, suspendedUntil: null });
    expect((await p.store.articles.byId(article))!.commentPolicy).toBe('subscribers');
  };

  beforeAll(async () => {
    p = await startParley(dialect);
    article = (await p.store.articles.bySlug('open-thread'))!.id;
    const subscribers = ['root', 'deputy', 'mia', 'rogue', 'sleepy', 'ada', 'sue', 'ben'];
    for (const n of subscribers) await p.accounts.grant(`${n}@example.com`, null);
    await p.moderation.setRoleByEmail('root@example.com', 'admin', 'Root');
    await p.moderation.setRoleByEmail('deputy@example.com', 'admin', 'Deputy');
    for (const n of ['mia', 'rogue', 'sleepy']) await p.moderation.setRoleByEmail(`${n}@example.com`, 'moderator', n);
    // nia is a member: signed in, no subscription.
    for (const n of [...subscribers, 'nia']) {
      who[n] = await p.signIn(`${n}@example.com`);
      ids[n] = (await p.store.users.byEmail(`${n}@example.com`))!.id;
    }
  });
  afterAll(() => p?.dispose());

  it('asks guests to sign in (401) and refuses members without a subscription (403)', async () => {
    const c = await posted(who.ada!);
    const guest = null;
    expect(await answer(api(guest, 'POST', `/articles/${article}/comments`, { body: text('hi') }))).toBe('401 unauthenticated');
    expect(await answer(api(guest, 'POST', `/articles/${article}/comments`, { body: text('hi'), parentId: c }))).toBe('401 unauthenticated');
    expect(await answer(api(guest, 'PUT', `/comments/${c}/vote`, { value: 1 }))).toBe('401 unauthenticated');
    expect(await answer(api(guest, 'PATCH', `/comments/${c}`, { body: 'mine now' }))).toBe('401 unauthenticated');
    expect(await answer(api(guest, 'DELETE', `/comments/${c}`))).toBe('401 unauthenticated');
    expect(await answer(api(guest, 'POST', `/comments/${c}/report`, { reason: 'spam' }))).toBe('401 unauthenticated');
    for (const [method, url, payload] of staffCalls(c)) expect(await answer(api(guest, method, url, payload)), `${method} ${url}`).toBe('401 unauthenticated');

    const nia = who.nia!;
    expect(await answer(api(nia, 'POST', `/articles/${article}/comments`, { body: text('hi') }))).toBe('403 subscribe');
    expect(await answer(api(nia, 'POST', `/articles/${article}/comments`, { body: text('hi'), parentId: c }))).toBe('403 subscribe');
    expect(await answer(api(nia, 'PUT', `/comments/${c}/vote`, { value: 1 }))).toBe('403 subscribe');
    expect(await answer(api(nia, 'PATCH', `/comments/${c}`, { body: 'mine now' }))).toBe('403 edit_forbidden');
    expect(await answer(api(nia, 'DELETE', `/comments/${c}`))).toBe('403 delete_forbidden');
    for (const [method, url, payload] of staffCalls(c)) expect(await answer(api(nia, method, url, payload)), `${method} ${url}`).toBe('403 not_moderator');
    // Reports need a signed-in reader, not a subscription.
    expect(await answer(api(nia, 'POST', `/comments/${c}/report`, { reason: 'spam' }))).toBe('201 ok');
    await untouched(c);
    expect((await row(c)).up).toBe(0);
  });

  it('keeps a suspended subscriber signed in, but lets them post, reply, vote, edit or delete nothing', async () => {
    const sue = who.sue!;
    const own = await posted(sue);
    const other = await posted(who.ada!);
    expect(await answer(api(who.mia!, 'POST', `/admin/users/${ids.sue}/suspend`, { hours: 24, reason: 'cooling off' }))).toBe('200 ok');
    expect((await viewer(sue))?.id).toBe(ids.sue);
    expect(await answer(api(sue, 'POST', `/articles/${article}/comments`, { body: text('let me in') }))).toBe('403 suspended');
    expect(await answer(api(sue, 'POST', `/articles/${article}/comments`, { body: text('let me in'), parentId: other }))).toBe('403 suspended');
    expect(await answer(api(sue, 'PUT', `/comments/${other}/vote`, { value: -1 }))).toBe('403 suspended');
    expect(await answer(api(sue, 'PATCH', `/comments/${own}`, { body: 'rewritten' }))).toBe('403 suspended');
    expect(await answer(api(sue, 'DELETE', `/comments/${own}`))).toBe('403 suspended');
    expect(await answer(api(sue, 'POST', `/comments/${other}/report`, { reason: 'spam' }))).toBe('403 suspended');
    expect(await row(own)).toMatchObject({ status: 'visible', editedAt: null });
    expect((await row(other)).down).toBe(0);
    // The widget offers nothing it would refuse.
    const thread = json(await api(sue, 'GET', `/comments/${own}/thread`));
    expect(thread.comment).toMatchObject({ canEdit: false, canDelete: false });

    expect(await answer(api(who.mia!, 'DELETE', `/admin/users/${ids.sue}/suspend`))).toBe('200 ok');
    expect(await answer(api(sue, 'DELETE', `/comments/${own}`))).toBe('200 ok');
  });

  it('takes every staff power and every session from a banned moderator at once', async () => {
    const c = await posted(who.ada!);
    const old = who.rogue!;
    expect(await answer(api(old, 'GET', '/admin/queue'))).toBe('200 ok');
    // Only an admin bans staff.
    expect(await answer(api(who.mia!, 'PUT', `/admin/users/${ids.rogue}/ban`, { banned: true }))).toBe('403 not_admin');
    expect(await answer(api(who.root!, 'PUT', `/admin/users/${ids.rogue}/ban`, { banned: true, reason: 'abuse of powers' }))).toBe('200 ok');

    // The session the moderator had is gone: it signs nobody in and deletes nothing.
    expect(await viewer(old)).toBeNull();
    expect(await answer(api(old, 'DELETE', `/comments/${c}`))).toBe('401 unauthenticated');
    expect(await answer(api(old, 'GET', '/admin/queue'))).toBe('401 unauthenticated');

    // Signed in again, still a moderator by role, they read but have no power at all.
    const again = await p.signIn('rogue@example.com');
    expect((await p.store.users.byId(ids.rogue!))!.role).toBe('moderator');
    expect(await answer(api(again, 'DELETE', `/comments/${c}`))).toBe('403 suspended');
    expect(await answer(api(again, 'PATCH', `/comments/${c}`, { body: 'hijacked' }))).toBe('403 suspended');
    for (const [method, url, payload] of staffCalls(c)) expect(await answer(api(again, method, url, payload)), `${method} ${url}`).toBe('403 suspended');
    const dashboard = await page(again, '/admin');
    expect(dashboard.statusCode).toBe(403);
    expect(dashboard.body).not.toContain(`item-${c}`);
    expect((await form(again, '/admin/actions', { op: `reject:${c}`, reason: 'x' })).statusCode).toBe(403);
    await untouched(c);
  });

  it('keeps a suspended moderator signed in, without staff powers until the suspension ends', async () => {
    const c = await posted(who.ada!);
    const sleepy = who.sleepy!;
    expect(await answer(api(who.mia!, 'POST', `/admin/users/${ids.sleepy}/suspend`, { hours: 24 }))).toBe('403 not_admin');
    expect(await answer(api(who.root!, 'POST', `/admin/users/${ids.sleepy}/suspend`, { hours: 24 }))).toBe('200 ok');
    expect((await viewer(sleepy))?.id).toBe(ids.sleepy);
    expect(await answer(api(sleepy, 'DELETE', `/comments/${c}`))).toBe('403 suspended');
    expect(await answer(api(sleepy, 'PATCH', `/comments/${c}`, { body: 'hijacked' }))).toBe('403 suspended');
    for (const [method, url, payload] of staffCalls(c)) expect(await answer(api(sleepy, method, url, payload)), `${method} ${url}`).toBe('403 suspended');
    expect((await page(sleepy, '/admin')).statusCode).toBe(403);
    await untouched(c);

    expect(await answer(api(who.root!, 'DELETE', `/admin/users/${ids.sleepy}/suspend`))).toBe('200 ok');
    expect(await answer(api(sleepy, 'PUT', `/admin/comments/${c}/pin`, { pinned: true }))).toBe('200 ok');
  });

  it("ends a banned reader's sessions, every one of them, and lets no new one write", async () => {
    const first = who.ben!;
    const second = await p.signIn('ben@example.com');
    const c = await posted(first);
    expect(await answer(api(who.mia!, 'PUT', `/admin/users/${ids.ben}/ban`, { banned: true }))).toBe('200 ok');
    for (const s of [first, second]) {
      expect(await viewer(s)).toBeNull();
      expect(await answer(api(s, 'POST', `/articles/${article}/comments`, { body: text('still here') }))).toBe('401 unauthenticated');
    }
    const back = await p.signIn('ben@example.com');
    expect(await answer(api(back, 'POST', `/articles/${article}/comments`, { body: text('still here') }))).toBe('403 suspended');
    expect(await answer(api(back, 'DELETE', `/comments/${c}`))).toBe('403 suspended');
    // Lifting the ban gives back writing, not the sessions it ended.
    expect(await answer(api(who.mia!, 'PUT', `/admin/users/${ids.ben}/ban`, { banned: false }))).toBe('200 ok');
    expect(await viewer(first)).toBeNull();
    expect(await answer(api(back, 'POST', `/articles/${article}/comments`, { body: text('reformed') }))).toBe('201 ok');
  });

  it('lets nobody ban or suspend themselves, and only admins act on staff', async () => {
    expect(await answer(api(who.mia!, 'PUT', `/admin/users/${ids.mia}/ban`, { banned: true }))).toBe('403 self_action');
    expect(await answer(api(who.root!, 'PUT', `/admin/users/${ids.root}/ban`, { banned: true }))).toBe('403 self_action');
    expect(await answer(api(who.root!, 'POST', `/admin/users/${ids.root}/suspend`, { hours: 24 }))).toBe('403 self_action');
    expect(await answer(api(who.mia!, 'PUT', `/admin/users/${ids.deputy}/ban`, { banned: true }))).toBe('403 not_admin');
    for (const n of ['mia', 'root', 'deputy']) expect((await p.store.users.byId(ids[n]!))!).toMatchObject({ banned: false, suspendedUntil: null });
  });

  it('applies one role rule to the API and the dashboard: no self-demotion, no moderator changes roles, one admin stays', async () => {
    const root = who.root!;
    // With another admin present, only the self rule stands in the way.
    expect(await answer(api(root, 'PUT', `/admin/users/${ids.root}/role`, { role: 'moderator' }))).toBe('403 self_action');
    expect(await answer(api(root, 'PUT', `/admin/users/${ids.root}/role`, { role: 'reader' }))).toBe('403 self_action');
    const viaForm = await form(root, '/admin/roles', { email: 'root@example.com', role: 'reader' });
    expect(viaForm.statusCode).toBe(403);
    expect(viaForm.body).toContain('You cannot do that to your own account.');
    expect((await p.store.users.byId(ids.root!))!.role).toBe('admin');
    // Setting one's own role to what it is changes nothing and is no error.
    expect(await answer(api(root, 'PUT', `/admin/users/${ids.root}/role`, { role: 'admin' }))).toBe('200 ok');

    expect(await answer(api(who.mia!, 'PUT', `/admin/users/${ids.nia}/role`, { role: 'moderator' }))).toBe('403 not_admin');
    expect(await answer(api(who.mia!, 'PUT', `/admin/users/${ids.mia}/role`, { role: 'admin' }))).toBe('403 not_admin');
    expect((await form(who.mia!, '/admin/roles', { email: 'mia@example.com', role: 'admin' })).statusCode).toBe(403);
    expect((await p.store.users.byId(ids.mia!))!.role).toBe('moderator');
    expect((await p.store.users.byId(ids.nia!))!.role).toBe('reader');

    // Another admin may demote one; the last one left cannot be.
    expect(await answer(api(root, 'PUT', `/admin/users/${ids.deputy}/role`, { role: 'moderator' }))).toBe('200 ok');
    expect(await answer(api(who.deputy!, 'GET', '/admin/audit'))).toBe('403 not_admin');
    expect(await answer(api(root, 'PUT', `/admin/users/${ids.root}/role`, { role: 'reader' }))).toBe('409 last_admin');
    expect((await p.store.users.byId(ids.root!))!.role).toBe('admin');
  });
});
