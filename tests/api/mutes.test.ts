import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { injectAs } from '../support/api-client.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
let seq = 0;
const text = (s: string) => `${s} #${++seq}`;

/** Issue 16, muting: a reader collapses another's comments for themselves; the muted reader can never tell. */
describe.each(DIALECTS)('muting on %s', (dialect) => {
  let p: TestParley;
  let open: number;
  let ada: Who;
  let bob: Who;
  let cy: Who;
  let ids: Record<string, number>;

  const api = (who: Who | null, method: Method, url: string, payload?: object) => injectAs(p.app)(who, method, url, payload);
  const posted = async (who: Who, body: string, parentId?: number) => {
    const res = await api(who, 'POST', `/articles/${open}/comments`, { body, ...(parentId ? { parentId } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).comment as { id: number };
  };
  /** Every comment of the first page (newest first) as `who` sees it, by id. */
  const seen = async (who: Who | null) => {
    const page = json(await api(who, 'GET', `/articles/${open}/comments?sort=newest`));
    const out = new Map<number, Record<string, unknown>>();
    for (const t of page.threads) for (const c of [t.comment, ...t.replies]) out.set(c.id, c);
    return out;
  };

  beforeAll(async () => {
    p = await startParley(dialect);
    open = (await p.store.articles.bySlug('open-thread'))!.id;
    for (const e of ['ada', 'bob', 'cy']) await p.accounts.grant(`${e}@example.com`, null);
    [ada, bob, cy] = (await Promise.all(['ada', 'bob', 'cy'].map((e) => p.signIn(`${e}@example.com`)))) as [Who, Who, Who];
    ids = {};
    for (const e of ['ada', 'bob', 'cy']) ids[e] = (await p.store.users.byEmail(`${e}@example.com`))!.id;
    await p.store.db.updateTable('users').set({ display_name: 'Bob Builder' }).where('id', '=', ids.bob!).execute();
  });
  afterAll(() => p?.dispose());

  it('needs a session and CSRF, refuses muting oneself or nobody, and validates the id', async () => {
    expect((await api(null, 'PUT', `/me/mutes/${ids.bob}`)).statusCode).toBe(401);
    expect((await api(null, 'GET', '/me/mutes')).statusCode).toBe(401);
    const noCsrf = await p.app.inject({ method: 'PUT', url: `/api/v1/me/mutes/${ids.bob}`, headers: { cookie: ada.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    const self = await api(ada, 'PUT', `/me/mutes/${ids.ada}`);
    expect(self.statusCode).toBe(400);
    expect(json(self).error.code).toBe('mute_self');
    expect(json(await api(ada, 'PUT', '/me/mutes/999999')).error.code).toBe('user_not_found');
    expect(json(await api(ada, 'PUT', '/me/mutes/abc')).error.code).toBe('validation');
    expect(json(await api(ada, 'GET', '/me/mutes')).mutes).toEqual([]);
  });

  it("collapses the muted reader's comments for the muter only, and lists and lifts the mute", async () => {
    const byBob = await posted(bob, text('Bob says something'));
    const byCy = await posted(cy, text('Cy answers'), byBob.id);
    const res = await api(ada, 'PUT', `/me/mutes/${ids.bob}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ userId: ids.bob, muted: true });
    // Twice is the same as once.
    expect((await api(ada, 'PUT', `/me/mutes/${ids.bob}`)).statusCode).toBe(200);
    const list = json(await api(ada, 'GET', '/me/mutes')).mutes;
    expect(list).toEqual([{ id: ids.bob, name: 'Bob Builder', mutedAt: expect.any(String) }]);

    const forAda = await seen(ada);
    expect(forAda.get(byBob.id)!.muted).toBe(true);
    expect('muted' in forAda.get(byCy.id)!).toBe(false);
    // The thread and the deep link say so too.
    const thread = json(await api(ada, 'GET', `/comments/${byCy.id}/thread`));
    expect(thread.comment.muted).toBe(true);
    // Nobody else's answers carry it: not Cy's, not a guest's.
    for (const who of [cy, null]) for (const c of (await seen(who)).values()) expect('muted' in c).toBe(false);
    // The article page tells the widget whom Ada muted (so live comments collapse too), and renders them collapsed.
    const page = await p.app.inject({ method: 'GET', url: '/articles/open-thread?sort=newest', headers: { cookie: ada.cookie } });
    expect(page.body).toContain(`"muted":{"ids":[${ids.bob}],"label":"A reader you muted wrote this. Show comment"}`);
    expect(page.body).toMatch(new RegExp(`id="comment-${byBob.id}"[^>]*>\\s*<details class="parley-muted">`));

    const off = await api(ada, 'DELETE', `/me/mutes/${ids.bob}`);
    expect(json(off)).toEqual({ userId: ids.bob, muted: false });
    expect('muted' in (await seen(ada)).get(byBob.id)!).toBe(false);
    expect(json(await api(ada, 'GET', '/me/mutes')).mutes).toEqual([]);
  });

  it('is never visible to the muted reader: no answer to them changes', async () => {
    const byBob = await posted(bob, text('Bob, unaware'));
    await posted(ada, text('Ada writes too'));
    const before = {
      me: json(await api(bob, 'GET', '/me')),
      page: await seen(bob),
      session: json(await api(bob, 'GET', '/session')),
      mutes: json(await api(bob, 'GET', '/me/mutes')),
      html: (await p.app.inject({ method: 'GET', url: '/articles/open-thread?sort=newest', headers: { cookie: bob.cookie } })).body,
      account: (await p.app.inject({ method: 'GET', url: '/account', headers: { cookie: bob.cookie } })).body,
    };
    await api(ada, 'PUT', `/me/mutes/${ids.bob}`);
    await api(cy, 'PUT', `/me/mutes/${ids.bob}`);
    const after = {
      me: json(await api(bob, 'GET', '/me')),
      page: await seen(bob),
      session: json(await api(bob, 'GET', '/session')),
      mutes: json(await api(bob, 'GET', '/me/mutes')),
      html: (await p.app.inject({ method: 'GET', url: '/articles/open-thread?sort=newest', headers: { cookie: bob.cookie } })).body,
      account: (await p.app.inject({ method: 'GET', url: '/account', headers: { cookie: bob.cookie } })).body,
    };
    expect(after.me).toEqual(before.me);
    expect([...after.page.entries()]).toEqual([...before.page.entries()]);
    expect(after.session).toEqual(before.session);
    expect(after.mutes).toEqual({ mutes: [] });
    // The page differs only by its CSRF token and times: nothing about mutes.
    for (const html of [after.html, after.account]) {
      expect(html).not.toContain('"muted"');
      expect(html).not.toContain('A reader you muted');
      expect(html).not.toContain('parley-muted');
    }
    expect(after.account).not.toContain('Ada');
    // Bob's own comment stays uncollapsed for him.
    expect('muted' in after.page.get(byBob.id)!).toBe(false);
    // Bob's data export has nothing about who muted him either.
    const exported = await p.app.inject({ method: 'GET', url: '/api/v1/me/export', headers: { cookie: bob.cookie } });
    expect(exported.body).not.toMatch(/mute/i);
    await api(ada, 'DELETE', `/me/mutes/${ids.bob}`);
    await api(cy, 'DELETE', `/me/mutes/${ids.bob}`);
  });

  it('lists mutes on /account and lifts one with the no-JS form, which needs the CSRF token', async () => {
    await api(ada, 'PUT', `/me/mutes/${ids.bob}`);
    const account = await p.app.inject({ method: 'GET', url: '/account', headers: { cookie: ada.cookie } });
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Muted readers');
    expect(account.body).toContain('Bob Builder');
    expect(account.body).toContain('action="/account/unmute"');
    const form = (csrf: string) =>
      p.app.inject({
        method: 'POST',
        url: '/account/unmute',
        headers: { cookie: ada.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrf)}&userId=${ids.bob}`,
      });
    const forged = await form('not-the-token');
    expect(forged.statusCode).toBe(403);
    expect(json(await api(ada, 'GET', '/me/mutes')).mutes).toHaveLength(1);
    const ok = await form(ada.csrf);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toContain('/account?done=unmuted');
    expect(json(await api(ada, 'GET', '/me/mutes')).mutes).toEqual([]);
    const after = await p.app.inject({ method: 'GET', url: '/account?done=unmuted', headers: { cookie: ada.cookie } });
    expect(after.body).toContain('Unmuted.');
    expect(after.body).toContain('You have not muted anyone.');
  });
});
