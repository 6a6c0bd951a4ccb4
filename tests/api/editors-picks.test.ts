import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { injectAs } from '../support/api-client.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
let seq = 0;
const text = (s: string) => `${s} #${++seq}`;

/** Issue 16, Editors' Picks: featuring, the Featured tab, its badge, the follower mail, the audit log and the live event. */
describe.each(DIALECTS)("editors' picks on %s", (dialect) => {
  let p: TestParley;
  let open: number;
  let admin: Who;
  let mod: Who;
  let ada: Who;
  let bob: Who;
  let fan: Who;

  const api = (who: Who | null, method: Method, url: string, payload?: object) => injectAs(p.app)(who, method, url, payload);
  const posted = async (who: Who, body: string, parentId?: number) => {
    const res = await api(who, 'POST', `/articles/${open}/comments`, { body, ...(parentId ? { parentId } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).comment as { id: number };
  };
  const feature = (who: Who | null, id: number, featured = true) => api(who, 'PUT', `/admin/comments/${id}/feature`, { featured });
  const featuredPage = async (cursor?: string) => {
    const res = await api(null, 'GET', `/articles/${open}/comments?sort=featured${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return json(res) as {
      sort: string;
      threads: { comment: { id: number; featured?: boolean }; context?: { id: number; author: string | null; excerpt: string } }[];
      nextCursor: string | null;
    };
  };
  const mailsTo = (email: string) => p.mails.sent.filter((m) => m.to === email && !m.text.includes('/auth/verify'));

  beforeAll(async () => {
    p = await startParley(dialect, { PAGE_SIZE: '2' });
    open = (await p.store.articles.bySlug('open-thread'))!.id;
    for (const e of ['root', 'mia', 'ada', 'bob', 'fan']) await p.accounts.grant(`${e}@example.com`, null);
    await p.moderation.setRoleByEmail('root@example.com', 'admin', 'Root');
    await p.moderation.setRoleByEmail('mia@example.com', 'moderator', 'Mia');
    [admin, mod, ada, bob, fan] = (await Promise.all(['root', 'mia', 'ada', 'bob', 'fan'].map((e) => p.signIn(`${e}@example.com`)))) as [
      Who,
      Who,
      Who,
      Who,
      Who,
    ];
    await p.store.db.updateTable('users').set({ display_name: 'Ada' }).where('email', '=', 'ada@example.com').execute();
  });
  afterAll(() => p?.dispose());

  it('lets only moderators feature, on the server, and only published comments', async () => {
    const c = await posted(ada, text('worth a pick'));
    expect((await feature(null, c.id)).statusCode).toBe(401);
    const byReader = await feature(bob, c.id);
    expect(byReader.statusCode).toBe(403);
    expect(json(byReader).error.code).toBe('not_moderator');
    // A reader's request without the CSRF header is refused before anything else.
    const noCsrf = await p.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/comments/${c.id}/feature`,
      headers: { cookie: mod.cookie },
      payload: { featured: true },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await p.store.comments.byId(c.id))!.featuredAt).toBeNull();
    expect(json(await feature(mod, c.id, 'yes' as unknown as boolean)).error.code).toBe('validation');
    expect((await feature(mod, 999_999)).statusCode).toBe(404);
    const gone = await posted(ada, text('soon deleted'));
    await api(ada, 'DELETE', `/comments/${gone.id}`);
    const refused = await feature(mod, gone.id);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.code).toBe('not_featurable');
    const ok = await feature(mod, c.id);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toEqual({ id: c.id, featured: true });
    expect((await p.store.comments.byId(c.id))!.featuredAt).not.toBeNull();
  });

  it('lists picks of any depth under sort=featured, newest pick first, with a reply’s context, and pages them', async () => {
    const root = await posted(bob, text('A question about the trains'));
    const reply = await posted(ada, text('A thoughtful answer'), root.id);
    const other = await posted(bob, text('Another good one'));
    const unpicked = await posted(bob, text('not picked'));
    for (const id of [other.id, reply.id]) {
      p.clock.advance(1000);
      expect((await feature(mod, id)).statusCode).toBe(200);
    }
    const first = await featuredPage();
    expect(first.sort).toBe('featured');
    // Newest pick first: the reply (picked last), then `other`; PAGE_SIZE is 2.
    expect(first.threads.map((t) => t.comment.id)).toEqual([reply.id, other.id]);
    expect(first.threads.every((t) => t.comment.featured === true)).toBe(true);
    expect(first.threads[0]!.context).toMatchObject({ id: root.id, author: expect.any(String) });
    expect(first.threads[0]!.context!.excerpt).toContain('A question about the trains');
    expect(first.threads[1]!.context).toBeUndefined();
    expect(first.nextCursor).not.toBeNull();
    const second = await featuredPage(first.nextCursor!);
    const all = [...first.threads, ...second.threads].map((t) => t.comment.id);
    expect(all).not.toContain(unpicked.id);
    expect(new Set(all).size).toBe(all.length);
    // A cursor of another sort is refused, not misread.
    const wrong = await api(null, 'GET', `/articles/${open}/comments?sort=newest&cursor=${first.nextCursor}`);
    expect(wrong.statusCode).toBe(400);
    // The badge shows in the other sorts too; an unpicked comment carries no field at all.
    const newest = json(await api(null, 'GET', `/articles/${open}/comments?sort=newest`));
    const shown = new Map<number, Record<string, unknown>>();
    for (const t of newest.threads) for (const c of [t.comment, ...t.replies]) shown.set(c.id, c);
    expect(shown.get(other.id)!.featured).toBe(true);
    expect('featured' in shown.get(unpicked.id)!).toBe(false);
    // Unfeatured, it leaves the list.
    expect(json(await feature(mod, other.id, false))).toEqual({ id: other.id, featured: false });
    const after = await featuredPage();
    expect(after.threads.map((t) => t.comment.id)).not.toContain(other.id);
  });

  it('renders the Featured tab on the server as a plain link, and the picks without JavaScript', async () => {
    const c = await posted(bob, text('Server-rendered pick'));
    await feature(mod, c.id);
    const page = await p.app.inject({ method: 'GET', url: '/articles/open-thread?sort=featured' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<a href="\?sort=featured#comments"[^>]*aria-current="true"/);
    expect(page.body).toContain(`id="comment-${c.id}"`);
    expect(page.body).toContain('Server-rendered pick');
    const newest = await p.app.inject({ method: 'GET', url: '/articles/open-thread?sort=newest' });
    expect(newest.body).toContain('href="?sort=featured#comments"');
  });

  it('writes featuring and unfeaturing to the audit log, and emits an event for open pages', async () => {
    const c = await posted(ada, text('audited pick'));
    const before = await p.store.events.lastId(open);
    await feature(mod, c.id);
    const events = await p.store.events.since(open, before, 10);
    expect(events).toEqual([expect.objectContaining({ type: 'comment.edited', commentId: c.id })]);
    // Featuring again changes nothing and says nothing.
    await feature(mod, c.id);
    expect(await p.store.events.since(open, before, 10)).toHaveLength(1);
    await feature(mod, c.id, false);
    const log = json(await api(admin, 'GET', '/admin/audit')).entries as { action: string; targetId: number; actor: { name: string } }[];
    const mine = log.filter((e) => e.targetId === c.id).map((e) => e.action);
    expect(mine).toEqual(['comment.unfeature', 'comment.feature']);
    expect(log.find((e) => e.targetId === c.id)!.actor.name).toBe('Mia');
    const html = await p.app.inject({ method: 'GET', url: '/admin/audit', headers: { cookie: admin.cookie } });
    expect(html.body).toContain('comment.feature');
  });

  it('mails followers who asked for picks, once, and nobody else', async () => {
    // Fan follows and asks for picks; Bob follows without (the default).
    const on = await api(fan, 'PUT', `/articles/${open}/follow`, { follow: true, featured: true });
    expect(json(on)).toMatchObject({ article: true, featured: true });
    expect(json(await api(bob, 'PUT', `/articles/${open}/follow`, { follow: true }))).toMatchObject({ article: true, featured: false });
    const c = await posted(ada, text('The pick everyone should read'));
    await p.worker.runOnce();
    const fanBefore = mailsTo('fan@example.com').length;
    const bobBefore = mailsTo('bob@example.com').length;
    await feature(mod, c.id);
    await p.worker.runOnce();
    const toFan = mailsTo('fan@example.com').slice(fanBefore);
    expect(toFan).toHaveLength(1);
    expect(toFan[0]!.subject).toContain("Editors' pick");
    expect(toFan[0]!.text).toContain(`?comment=${c.id}#comment-${c.id}`);
    expect(toFan[0]!.headers?.['List-Unsubscribe']).toMatch(/unsubscribe\?token=f/);
    expect(mailsTo('bob@example.com').slice(bobBefore)).toHaveLength(0);
    // The author is not mailed about their own pick as a follower would be.
    expect(mailsTo('ada@example.com').some((m) => m.subject.includes("Editors' pick"))).toBe(false);
    // Unfeature and feature again: no second mail.
    await feature(mod, c.id, false);
    await feature(mod, c.id);
    await p.worker.runOnce();
    expect(mailsTo('fan@example.com').slice(fanBefore)).toHaveLength(1);
    // The option can be turned off again.
    expect(json(await api(fan, 'PUT', `/articles/${open}/follow`, { follow: true, featured: false }))).toMatchObject({ featured: false });
  });

  it('features from the /admin dashboard form too', async () => {
    const c = await posted(bob, text('picked from the dashboard'));
    const res = await p.app.inject({
      method: 'POST',
      url: '/admin/actions',
      headers: { cookie: mod.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(mod.csrf)}&op=feature:${c.id}&back=/admin`,
    });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toContain('done=feature');
    expect((await p.store.comments.byId(c.id))!.featuredAt).not.toBeNull();
  });
});
