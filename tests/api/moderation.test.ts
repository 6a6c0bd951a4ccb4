import { builtCli } from '../support/process.js';
import { blankArticle } from '../../src/store/store.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/services/content.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const HOUR = 3_600_000;

/** Unique comment text, so the duplicate rule never trips a test by accident. */
let seq = 0;
const text = (s: string) => `${s} #${++seq}`;

describe.each(DIALECTS)('moderation on %s', (dialect) => {
  let p: TestParley;
  let open: number;
  let members: number;
  let admin: Who;
  let mod: Who;
  let ada: Who;
  let bob: Who;
  let cy: Who;
  let dan: Who;
  let eve: Who;
  let ids: Record<string, number>;

  const api = (who: Who | null, method: Method, url: string, payload?: object, ip?: string) =>
    p.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {},
      ...(payload ? { payload } : {}),
      ...(ip ? { remoteAddress: ip } : {}),
    });
  const post = (who: Who, body: string, opts: { parentId?: number; article?: number } = {}) =>
    api(who, 'POST', `/articles/${opts.article ?? open}/comments`, { body, ...(opts.parentId ? { parentId: opts.parentId } : {}) });
  const posted = async (who: Who, body: string, opts: { parentId?: number; article?: number } = {}) => {
    const res = await post(who, body, opts);
    expect(res.statusCode, res.body).toBe(201);
    return json(res).comment as { id: number; status: string };
  };
  const report = (who: Who, id: number, reason = 'abuse', extra: object = {}) => api(who, 'POST', `/comments/${id}/report`, { reason, ...extra });
  const count = async (articleId = open) => (await p.store.articles.byId(articleId))!.commentCount;
  const row = async (id: number) => (await p.store.comments.byId(id))!;
  /** The comment as an anonymous reader's first page shows it (newest first), or null. */
  const publicView = async (id: number, articleId = open) => {
    const page = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments?sort=newest` }));
    for (const t of page.threads) for (const c of [t.comment, ...t.replies]) if (c.id === id) return c;
    return null;
  };
  const queue = async (who: Who, tab: string) => json(await api(who, 'GET', `/admin/queue?tab=${tab}`));
  const setSettings = async (s: Partial<{ premoderateAll: boolean; premoderateLinks: boolean; newAccountComments: number; bannedWords: string[] }>) => {
    const res = await api(admin, 'PUT', '/admin/settings', { premoderateAll: false, premoderateLinks: false, newAccountComments: 0, bannedWords: [], ...s });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const audit = async () =>
    json(await api(admin, 'GET', '/admin/audit')).entries as {
      action: string;
      actor: { name: string } | null;
      targetId: number;
      details: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    p = await startParley(dialect, {
      REPORTS_TO_HIDE: '3',
      NEW_ACCOUNT_SLOWDOWN_SECONDS: '30',
      NEW_ACCOUNT_HOURS: '24',
      DUPLICATE_WINDOW_MINUTES: '10',
      VOTE_MIN_ACCOUNT_AGE_HOURS: '24',
      PAGE_SIZE: '3',
    });
    open = (await p.store.articles.bySlug('open-thread'))!.id;
    members = (await p.store.articles.bySlug('members-thread'))!.id;
    for (const e of ['root', 'mia', 'ada', 'bob', 'cy', 'dan', 'eve']) await p.accounts.grant(`${e}@example.com`, null);
    await p.moderation.setRoleByEmail('root@example.com', 'admin', 'Root');
    await p.moderation.setRoleByEmail('mia@example.com', 'moderator', 'Mia');
    const who: Who[] = [];
    for (const e of ['root', 'mia', 'ada', 'bob', 'cy', 'dan', 'eve']) who.push(await p.signIn(`${e}@example.com`));
    [admin, mod, ada, bob, cy, dan, eve] = who as [Who, Who, Who, Who, Who, Who, Who];
    ids = {};
    for (const e of ['root', 'mia', 'ada', 'bob', 'cy', 'dan', 'eve']) ids[e] = (await p.store.users.byEmail(`${e}@example.com`))!.id;
    // These accounts are established: new-account rules apply only to accounts made later.
    p.clock.advance(25 * HOUR);
  });
  afterAll(() => p?.dispose());

  describe('permissions', () => {
    it('keeps readers and guests out of the dashboard and every moderation endpoint', async () => {
      const c = await posted(ada, text('a comment to act on'));
      const endpoints: [Method, string, object?][] = [
        ['GET', '/admin/queue'],
        ['POST', `/admin/comments/${c.id}/approve`],
        ['POST', `/admin/comments/${c.id}/reject`, { reason: 'x' }],
        ['POST', '/admin/comments/bulk', { action: 'approve', ids: [c.id] }],
        ['PATCH', `/admin/comments/${c.id}`, { body: 'hijack' }],
        ['PUT', `/admin/comments/${c.id}/pin`, { pinned: true }],
        ['PUT', `/admin/comments/${c.id}/lock`, { locked: true }],
        ['PUT', `/admin/articles/${open}/policy`, { policy: 'closed' }],
        ['GET', `/admin/articles/${open}/moderation`],
        ['PUT', `/admin/articles/${open}/moderation`, { premoderateAll: true }],
        ['POST', `/admin/users/${ids.bob}/suspend`, { hours: 24 }],
        ['DELETE', `/admin/users/${ids.bob}/suspend`],
        ['PUT', `/admin/users/${ids.bob}/ban`, { banned: true }],
        ['PUT', `/admin/users/${ids.bob}/role`, { role: 'admin' }],
        ['GET', '/admin/settings'],
        ['PUT', '/admin/settings', { premoderateAll: true, premoderateLinks: false, newAccountComments: 0, bannedWords: [] }],
        ['GET', '/admin/audit'],
      ];
      for (const [method, url, payload] of endpoints) {
        const asReader = await api(bob, method, url, payload);
        expect(asReader.statusCode, `${method} ${url} as a reader`).toBe(403);
        expect(json(asReader).error.code).toBe('not_moderator');
        expect((await api(null, method, url, payload)).statusCode, `${method} ${url} as a guest`).toBe(401);
      }
      // Nothing happened.
      expect((await row(c.id)).status).toBe('visible');
      expect((await row(c.id)).pinned).toBe(false);
      expect((await p.store.users.byId(ids.bob!))!.role).toBe('reader');
      expect((await p.store.users.byId(ids.bob!))!.banned).toBe(false);
      expect((await p.store.articles.byId(open))!.commentPolicy).toBe('subscribers');

      for (const url of ['/admin', '/admin/audit', '/admin/settings']) {
        const page = await p.app.inject({ method: 'GET', url, headers: { cookie: bob.cookie } });
        expect(page.statusCode, url).toBe(403);
        expect(page.body).toContain('Only moderators can do that.');
        const guest = await p.app.inject({ method: 'GET', url });
        expect(guest.statusCode).toBe(303);
        expect(guest.headers.location).toBe(`/signin?return=${encodeURIComponent(url)}`);
      }
      const form = await p.app.inject({
        method: 'POST',
        url: '/admin/actions',
        headers: { cookie: bob.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: bob.csrf, op: `reject:${c.id}`, reason: 'x' }).toString(),
      });
      expect(form.statusCode).toBe(403);
      const jsonForm = await p.app.inject({
        method: 'POST',
        url: '/admin/actions',
        headers: { cookie: bob.cookie, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: bob.csrf, op: `reject:${c.id}`, reason: 'x' }).toString(),
      });
      expect(jsonForm.statusCode).toBe(403);
      expect((await row(c.id)).status).toBe('visible');
    });

    it('lets moderators moderate but not change roles or settings', async () => {
      expect((await api(mod, 'GET', '/admin/queue')).statusCode).toBe(200);
      expect((await p.app.inject({ method: 'GET', url: '/admin', headers: { cookie: mod.cookie } })).statusCode).toBe(200);
      for (const [method, url, payload] of [
        ['PUT', `/admin/users/${ids.bob}/role`, { role: 'moderator' }],
        ['PUT', `/admin/users/${ids.mia}/role`, { role: 'admin' }],
        ['GET', '/admin/settings'],
        ['PUT', '/admin/settings', { premoderateAll: true, premoderateLinks: false, newAccountComments: 0, bannedWords: [] }],
        ['GET', `/admin/articles/${open}/moderation`],
        ['PUT', `/admin/articles/${open}/moderation`, { premoderateAll: true }],
        ['GET', '/admin/audit'],
      ] as [Method, string, object?][]) {
        const res = await api(mod, method, url, payload);
        expect(res.statusCode, `${method} ${url} as a moderator`).toBe(403);
        expect(json(res).error.code).toBe('not_admin');
      }
      expect((await p.store.users.byId(ids.bob!))!.role).toBe('reader');
      expect((await p.store.users.byId(ids.mia!))!.role).toBe('moderator');
      for (const url of ['/admin/audit', '/admin/settings']) {
        const page = await p.app.inject({ method: 'GET', url, headers: { cookie: mod.cookie } });
        expect(page.statusCode).toBe(403);
        expect(page.body).toContain('Only administrators can do that.');
      }
      // Moderators act on readers only, and nobody on themselves.
      expect(json(await api(mod, 'PUT', `/admin/users/${ids.root}/ban`, { banned: true })).error.code).toBe('not_admin');
      expect(json(await api(mod, 'POST', `/admin/users/${ids.mia}/suspend`, { hours: 24 })).error.code).toBe('self_action');
      expect((await p.store.users.byId(ids.root!))!.banned).toBe(false);
    });

    it('lets admins change roles, but never remove the last admin', async () => {
      const res = await api(admin, 'PUT', `/admin/users/${ids.eve}/role`, { role: 'moderator' });
      expect(res.statusCode).toBe(200);
      expect((await p.store.users.byId(ids.eve!))!.role).toBe('moderator');
      // The role applies to the running session at once.
      expect((await api(eve, 'GET', '/admin/queue')).statusCode).toBe(200);
      expect((await api(admin, 'PUT', `/admin/users/${ids.eve}/role`, { role: 'reader' })).statusCode).toBe(200);
      expect((await api(eve, 'GET', '/admin/queue')).statusCode).toBe(403);
      const last = await api(admin, 'PUT', `/admin/users/${ids.root}/role`, { role: 'moderator' });
      expect(last.statusCode).toBe(409);
      expect(json(last).error.code).toBe('last_admin');
      expect((await p.store.users.byId(ids.root!))!.role).toBe('admin');
      expect((await api(admin, 'PUT', `/admin/users/${ids.eve}/role`, { role: 'owner' })).statusCode).toBe(400);
    });

    it('sets roles from the command line', async () => {
      const run = promisify(execFile);
      const env = { ...process.env, DATABASE_URL: p.config.DATABASE_URL, LOG_LEVEL: 'silent', CONTENT_DIR: 'tests/fixtures/content', BASE_URL: '' };
      const out = await run(process.execPath, [builtCli(), 'users', 'role', 'Newmod@Example.com', 'moderator'], { env });
      expect(out.stdout).toContain('newmod@example.com is now a moderator.');
      expect((await p.store.users.byEmail('newmod@example.com'))!.role).toBe('moderator');
      const bad = await run(process.execPath, [builtCli(), 'users', 'role', 'newmod@example.com', 'king'], { env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect((bad as { code: number }).code).toBe(64);
      expect((bad as { stderr: string }).stderr).toContain('reader, moderator or admin');
      const entry = (await audit()).find((e) => e.action === 'user.role' && e.details.to === 'moderator' && e.actor === null);
      expect(entry).toBeTruthy();
    }, 60_000);
  });

  describe('reports', () => {
    it('takes one report per reader, refuses bad ones, and hides a comment at N reports', async () => {
      const root = await posted(ada, text('a thread'));
      const c = await posted(ada, text('a provocative reply'), { parentId: root.id });
      const before = await count();
      const rootReplies = (await row(root.id)).replyCount;

      expect((await report(bob, c.id, 'spam', { text: 'buy <b>now</b>' })).statusCode).toBe(201);
      const again = await report(bob, c.id, 'abuse');
      expect(again.statusCode).toBe(409);
      expect(json(again).error.code).toBe('already_reported');
      const own = await report(ada, c.id);
      expect(own.statusCode).toBe(403);
      expect(json(own).error.code).toBe('report_own');
      expect((await report(cy, c.id, 'rude')).statusCode).toBe(400);
      expect((await api(cy, 'POST', `/comments/${c.id}/report`, { reason: 'other', text: 'x'.repeat(1001) })).statusCode).toBe(400);
      expect((await api(null, 'POST', `/comments/${c.id}/report`, { reason: 'spam' })).statusCode).toBe(401);
      expect((await report(cy, 999_999)).statusCode).toBe(404);

      expect((await report(cy, c.id, 'off_topic')).statusCode).toBe(201);
      expect((await row(c.id)).status).toBe('visible');
      expect(await count()).toBe(before);
      // The third report hides it: it leaves readers' view and every counter that counts it.
      expect((await report(dan, c.id, 'other', { text: 'slogans again' })).statusCode).toBe(201);
      const hidden = await row(c.id);
      expect(hidden.status).toBe('pending');
      expect(hidden.moderationReason).toBe('reports');
      expect(await count()).toBe(before - 1);
      expect((await row(root.id)).replyCount).toBe(rootReplies - 1);
      const thread = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${root.id}/thread` }));
      expect(thread.replies.map((r: { id: number }) => r.id)).not.toContain(c.id);
      // Its author still sees it, awaiting moderation.
      const mine = json(await api(ada, 'GET', `/comments/${root.id}/thread`));
      expect(mine.replies.find((r: { id: number }) => r.id === c.id)?.status).toBe('pending');
      // A hidden comment is not there to report, for anyone but its author.
      expect((await report(eve, c.id)).statusCode).toBe(404);

      const reported = await queue(mod, 'reported');
      const item = reported.items.find((i: any) => i.comment.id === c.id);
      expect(item.reports.map((r: any) => r.reason).sort()).toEqual(['off_topic', 'other', 'spam']);
      expect(item.reports.find((r: any) => r.reason === 'spam').text).toBe('buy <b>now</b>');
      expect((await queue(mod, 'pending')).items.map((i: any) => i.comment.id)).toContain(c.id);
      const hide = (await audit()).find((e) => e.action === 'comment.auto_hide' && e.targetId === c.id);
      expect(hide).toMatchObject({ actor: null, details: { reports: 3 } });

      // A moderator approves: back in view, counted again, reports settled.
      expect(json(await api(mod, 'POST', `/admin/comments/${c.id}/approve`))).toEqual({ done: [c.id] });
      expect((await row(c.id)).status).toBe('visible');
      expect(await count()).toBe(before);
      expect((await row(root.id)).replyCount).toBe(rootReplies);
      expect((await queue(mod, 'reported')).items.map((i: any) => i.comment.id)).not.toContain(c.id);
      // Reports start again from zero; those who reported before cannot report twice.
      expect((await report(bob, c.id)).statusCode).toBe(409);
      expect((await report(eve, c.id)).statusCode).toBe(201);
      expect((await row(c.id)).status).toBe('visible');
    });

    it('lets a moderator dismiss reports on a visible comment by approving it', async () => {
      const c = await posted(ada, text('mildly reported'));
      await report(bob, c.id, 'spam');
      expect((await queue(mod, 'reported')).items.map((i: any) => i.comment.id)).toContain(c.id);
      const before = await count();
      expect(json(await api(mod, 'POST', `/admin/comments/${c.id}/approve`))).toEqual({ done: [c.id] });
      expect(await count()).toBe(before);
      expect((await queue(mod, 'reported')).items.map((i: any) => i.comment.id)).not.toContain(c.id);
    });
  });

  describe('pre-moderation rules', () => {
    afterAll(async () => {
      await setSettings({});
    });

    it('holds every comment when the site says so, but never staff, and an article can opt out', async () => {
      await setSettings({ premoderateAll: true });
      const before = await count();
      const res = await post(ada, text('held for review'));
      expect(res.statusCode).toBe(201);
      const c = json(res).comment;
      expect(c.status).toBe('pending');
      expect(json(res).commentCount).toBe(before);
      expect((await row(c.id)).moderationReason).toBe('premoderate_all');
      expect(await publicView(c.id)).toBeNull();
      const own = json(await api(ada, 'GET', `/articles/${open}/comments?sort=newest`));
      expect(own.threads.map((t: any) => t.comment).find((x: any) => x.id === c.id)?.status).toBe('pending');
      // The widget's article page shows it to its author as awaiting moderation.
      expect((await posted(mod, text('a moderator speaks'))).status).toBe('visible');

      expect((await api(admin, 'PUT', `/admin/articles/${members}/moderation`, { premoderateAll: false })).statusCode).toBe(200);
      expect(json(await api(admin, 'GET', `/admin/articles/${members}/moderation`))).toEqual({ premoderateAll: false });
      expect((await posted(ada, text('members talk freely'), { article: members })).status).toBe('visible');
      expect((await api(admin, 'PUT', `/admin/articles/${members}/moderation`, {})).statusCode).toBe(200);
      expect((await posted(ada, text('members held again'), { article: members })).status).toBe('pending');
      // And the other way round: one article pre-moderated on an open site.
      await setSettings({});
      await api(admin, 'PUT', `/admin/articles/${members}/moderation`, { premoderateAll: true });
      expect((await posted(ada, text('only here'), { article: members })).status).toBe('pending');
      expect((await posted(ada, text('not here'))).status).toBe('visible');
      await api(admin, 'PUT', `/admin/articles/${members}/moderation`, {});
    });

    it("holds a new account's first N comments until that many are published", async () => {
      await setSettings({ newAccountComments: 2 });
      await p.accounts.grant('newbie@example.com', null);
      const newbie = await p.signIn('newbie@example.com');
      const first = await posted(newbie, text('hello, first time here'));
      expect(first.status).toBe('pending');
      expect((await row(first.id)).moderationReason).toBe('new_account');
      // A reader with published comments is not held.
      expect((await posted(ada, text('old hand'))).status).toBe('visible');
      expect(json(await api(mod, 'POST', `/admin/comments/${first.id}/approve`))).toEqual({ done: [first.id] });
      p.clock.advance(31_000);
      const second = await posted(newbie, text('second'));
      expect(second.status).toBe('pending');
      expect(json(await api(mod, 'POST', `/admin/comments/${second.id}/approve`))).toEqual({ done: [second.id] });
      p.clock.advance(31_000);
      expect((await posted(newbie, text('third flows'))).status).toBe('visible');
    });

    it('holds comments with links when asked to', async () => {
      await setSettings({ premoderateLinks: true });
      for (const body of ['see https://example.org/x', 'look at example.com today', '[click](https://spam.example)', 'mail me: <https://x.example>']) {
        const c = await posted(bob, text(body));
        expect(c.status, body).toBe('pending');
        expect((await row(c.id)).moderationReason).toBe('links');
      }
      expect((await posted(bob, text('no links, just words. Really.'))).status).toBe('visible');
      await setSettings({});
      expect((await posted(bob, text('https://example.org is fine now'))).status).toBe('visible');
    });

    it('holds banned words as whole words, ignoring case and accents', async () => {
      const saved = await setSettings({ bannedWords: ['Dummkopf', 'go home', '  ', 'idiot'] });
      expect(saved.bannedWords).toEqual(['dummkopf', 'go home', 'idiot']);
      const held = ['You DÜMMKÖPF!', 'dummkopf.', 'Just go   home, now', 'Ｉｄｉｏｔ', 'what an idiot'];
      const clean = ['dummkopfs are nice', 'gohome', 'idiotic idea', 'go to your home', 'idio t'];
      for (const body of held) {
        const c = await posted(cy, text(body));
        expect(c.status, body).toBe('pending');
        expect((await row(c.id)).moderationReason).toBe('banned_words');
      }
      for (const body of clean) expect((await posted(cy, text(body))).status, body).toBe('visible');
      const item = (await queue(mod, 'pending')).items.find((i: any) => i.comment.bodySrc.startsWith('You DÜMMKÖPF!'));
      expect(item.comment.reason).toBe('banned_words');
      expect(item.comment.bannedWords).toEqual(['dummkopf']);
      // Admins edit the list; the new list applies at once.
      await setSettings({ bannedWords: ['gohome'] });
      expect((await posted(cy, text('gohome'))).status).toBe('pending');
      expect((await posted(cy, text('what an idiot'))).status).toBe('visible');
    });

    it('judges an edit by the same word rules: a clean comment edited into a banned word or a link goes back to the queue', async () => {
      await setSettings({ bannedWords: ['dummkopf'], premoderateLinks: true });
      const c = await posted(cy, text('A perfectly civil remark'));
      expect(c.status).toBe('visible');
      const before = await count();
      const edited = await api(cy, 'PATCH', `/comments/${c.id}`, { body: 'On second thought: Dummkopf!' });
      expect(edited.statusCode, edited.body).toBe(200);
      // The author sees it waiting; nobody else sees it; the count drops; moderators see why.
      expect(json(edited).comment.status).toBe('pending');
      expect(await publicView(c.id)).toBeNull();
      expect(await count()).toBe(before - 1);
      expect((await row(c.id)).moderationReason).toBe('banned_words');
      expect((await queue(mod, 'pending')).items.some((i: any) => i.comment.id === c.id)).toBe(true);

      const d = await posted(cy, text('No links in here'));
      const linked = await api(cy, 'PATCH', `/comments/${d.id}`, { body: 'Buy at cheap-pills.com now' });
      expect(json(linked).comment.status).toBe('pending');
      expect((await row(d.id)).moderationReason).toBe('links');
      // Edits that stay clean change nothing about the status.
      const e = await posted(cy, text('First version'));
      const fine = await api(cy, 'PATCH', `/comments/${e.id}`, { body: 'Second version, still civil' });
      expect(json(fine).comment.status).toBe('visible');
      expect(await publicView(e.id)).not.toBeNull();
      await setSettings({});
    });

    it('refuses the same comment from the same reader within the window', async () => {
      const body = text('Great article!');
      expect((await post(dan, body)).statusCode).toBe(201);
      const again = await post(dan, body);
      expect(again.statusCode).toBe(409);
      expect(json(again).error.code).toBe('duplicate_comment');
      // Someone else may say the same.
      expect((await post(eve, body)).statusCode).toBe(201);
      p.clock.advance(11 * 60_000);
      expect((await post(dan, body)).statusCode).toBe(201);
    });

    it("slows a new account's comments, with Retry-After", async () => {
      await p.accounts.grant('fresh@example.com', null);
      const fresh = await p.signIn('fresh@example.com');
      expect((await post(fresh, text('one'))).statusCode).toBe(201);
      p.clock.advance(10_000);
      const fast = await post(fresh, text('two'));
      expect(fast.statusCode).toBe(429);
      expect(json(fast).error.code).toBe('slow_down');
      expect(fast.headers['retry-after']).toBe('20');
      expect(json(fast).error.message).toContain('20 seconds');
      p.clock.advance(20_000);
      expect((await post(fresh, text('two'))).statusCode).toBe(201);
      // Established accounts are never slowed.
      expect((await post(bob, text('quick one'))).statusCode).toBe(201);
      expect((await post(bob, text('quick two'))).statusCode).toBe(201);
      // Once the account is a day old, neither is it.
      p.clock.advance(24 * HOUR);
      expect((await post(fresh, text('three'))).statusCode).toBe(201);
      expect((await post(fresh, text('four'))).statusCode).toBe(201);
    });
  });

  describe('queue and actions', () => {
    beforeAll(async () => {
      await setSettings({ premoderateAll: true });
    });
    afterAll(async () => {
      await setSettings({});
    });

    it('shows held comments with their article, parent and author history', async () => {
      const parent = await posted(mod, text('Staff question: what do you think?'));
      const c = await posted(ada, text('An answer *held* for review'), { parentId: parent.id });
      const q = await queue(mod, 'pending');
      expect(q.tab).toBe('pending');
      expect(q.counts.pending).toBeGreaterThanOrEqual(1);
      const item = q.items.find((i: any) => i.comment.id === c.id);
      expect(item.article).toMatchObject({ id: open, slug: 'open-thread', title: 'A test article for subscribers' });
      expect(item.parent).toMatchObject({ id: parent.id, authorName: 'Mia', status: 'visible' });
      expect(item.comment.bodyHtml).toContain('<em>held</em>');
      expect(item.comment.reason).toBe('premoderate_all');
      const history = await p.store.moderation.authorHistory([ids.ada!], new Date(0));
      expect(item.author).toMatchObject({ id: ids.ada, name: 'Ada', comments: history.get(ids.ada!)!.comments, banned: false, role: 'reader' });
      expect(item.author.comments).toBeGreaterThan(3);
      expect(Date.parse(item.author.createdAt)).toBeLessThan(p.clock.now().getTime() - 24 * HOUR);
    });

    it('approves and rejects with correct counts, once even when two moderators click together', async () => {
      const root = await posted(mod, text('Thread root'));
      const a = await posted(ada, text('to approve'), { parentId: root.id });
      const r = await posted(bob, text('to reject'), { parentId: root.id });
      const before = await count();
      expect(before).toBe((await p.store.articles.byId(open))!.commentCount);
      expect((await row(root.id)).replyCount).toBe(0);

      const both = await Promise.all([api(mod, 'POST', `/admin/comments/${a.id}/approve`), api(admin, 'POST', `/admin/comments/${a.id}/approve`)]);
      expect(both.map((x) => x.statusCode)).toEqual([200, 200]);
      expect(both.map((x) => json(x).done.length).sort()).toEqual([0, 1]);
      expect(await count()).toBe(before + 1);
      expect((await row(root.id)).replyCount).toBe(1);
      const thread = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${root.id}/thread` }));
      expect(thread.replies.map((x: any) => x.id)).toEqual([a.id]);

      const rej = await api(mod, 'POST', `/admin/comments/${r.id}/reject`, { reason: 'Personal attack' });
      expect(json(rej)).toEqual({ done: [r.id] });
      expect(await count()).toBe(before + 1);
      expect(await row(r.id)).toMatchObject({ status: 'rejected', moderationReason: 'Personal attack' });
      // The author no longer sees it, and nobody can reply to it.
      const mine = json(await api(bob, 'GET', `/comments/${root.id}/thread`));
      expect(mine.replies.map((x: any) => x.id)).not.toContain(r.id);
      expect((await post(ada, text('reply to rejected'), { parentId: r.id })).statusCode).toBe(400);
      const rejected = await queue(mod, 'rejected');
      expect(rejected.items.find((i: any) => i.comment.id === r.id)?.comment.reason).toBe('Personal attack');
      expect((await queue(mod, 'pending')).items.map((i: any) => i.comment.id)).not.toContain(r.id);

      // Rejecting a published comment takes it out of every count; restoring it puts it back.
      expect(json(await api(mod, 'POST', `/admin/comments/${a.id}/reject`, { reason: 'On second thought' }))).toEqual({ done: [a.id] });
      expect(await count()).toBe(before);
      expect((await row(root.id)).replyCount).toBe(0);
      expect(json(await api(mod, 'POST', `/admin/comments/${a.id}/approve`))).toEqual({ done: [a.id] });
      expect(await count()).toBe(before + 1);
      expect((await row(root.id)).replyCount).toBe(1);
      expect((await api(mod, 'POST', '/admin/comments/999999/approve')).statusCode).toBe(404);
    });

    it('applies bulk actions to a selection', async () => {
      const list = [];
      for (let i = 0; i < 4; i++) list.push(await posted(cy, text(`bulk ${i}`)));
      const before = await count();
      const ok = await api(mod, 'POST', '/admin/comments/bulk', { action: 'approve', ids: [list[0]!.id, list[1]!.id, list[1]!.id] });
      expect(json(ok).done.sort()).toEqual([list[0]!.id, list[1]!.id].sort());
      expect(await count()).toBe(before + 2);
      const no = await api(mod, 'POST', '/admin/comments/bulk', { action: 'reject', ids: [list[2]!.id, list[3]!.id, 999999], reason: 'spam wave' });
      expect(json(no).done.sort()).toEqual([list[2]!.id, list[3]!.id].sort());
      expect(await count()).toBe(before + 2);
      for (const c of list.slice(2)) expect((await row(c.id)).status).toBe('rejected');
      expect((await api(mod, 'POST', '/admin/comments/bulk', { action: 'delete', ids: [1] })).statusCode).toBe(400);
      expect((await api(mod, 'POST', '/admin/comments/bulk', { action: 'approve', ids: [] })).statusCode).toBe(400);
      const entries = (await audit()).filter((e) => e.details.bulk === true);
      expect(
        entries
          .filter((e) => e.action === 'comment.reject')
          .map((e) => e.targetId)
          .sort(),
      ).toEqual([list[2]!.id, list[3]!.id].sort());
    });

    it('works without script: forms post and come back to the queue', async () => {
      const c = await posted(ada, text('approve me by form'));
      const page = await p.app.inject({ method: 'GET', url: '/admin', headers: { cookie: mod.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('approve me by form');
      expect(page.body).toContain('A test article for subscribers');
      expect(page.body).toContain('Held because:');
      // The keyboard script, fingerprinted when the build has made it.
      expect(page.body).toMatch(/<script type="module" src="\/static\/admin\.js(\?v=[\w-]+)?">/);
      expect(String(page.headers['content-security-policy'])).not.toContain('unsafe-inline');
      const res = await p.app.inject({
        method: 'POST',
        url: '/admin/actions',
        headers: { cookie: mod.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: mod.csrf, back: '/admin?tab=pending', op: `approve:${c.id}` }).toString(),
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin?tab=pending&done=approve&n=1');
      expect((await row(c.id)).status).toBe('visible');
      const after = await p.app.inject({ method: 'GET', url: res.headers.location as string, headers: { cookie: mod.cookie } });
      expect(after.body).toContain('1 comment approved.');
      // An open redirect through `back` is not possible.
      const evil = await p.app.inject({
        method: 'POST',
        url: '/admin/actions',
        headers: { cookie: mod.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: mod.csrf, back: '//evil.example/admin', op: `reject:${c.id}`, reason: 'x' }).toString(),
      });
      expect(evil.headers.location).toBe('/admin?done=reject&n=1');
      // Without the CSRF token nothing happens.
      const forged = await p.app.inject({
        method: 'POST',
        url: '/admin/actions',
        headers: { cookie: mod.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `op=approve:${c.id}`,
      });
      expect(forged.statusCode).toBe(403);
      expect((await row(c.id)).status).toBe('rejected');
    });
  });

  describe('actions on comments, threads, articles and accounts', () => {
    it('edits a comment as a moderator: readers see `Last edited by` the moderator', async () => {
      const c = await posted(ada, text('Thsi has a typo and a slur'));
      const res = await api(mod, 'PATCH', `/admin/comments/${c.id}`, { body: 'This has a typo fixed and [removed]' });
      expect(res.statusCode).toBe(200);
      expect(json(res).bodyHtml).toContain('[removed]');
      const view = await publicView(c.id);
      expect(view).toMatchObject({ editedBy: 'Mia', bodySrc: 'This has a typo fixed and [removed]' });
      expect((await p.store.comments.revisionsOf(c.id)).map((r) => r.editorId)).toEqual([ids.ada, ids.mia]);
      expect((await api(mod, 'PATCH', `/admin/comments/${c.id}`, { body: '   ' })).statusCode).toBe(400);
    });

    it('pins a top-level comment first on every sort, on the first page only, without duplicates', async () => {
      const art = (await p.store.articles.upsert(blankArticle({ slug: 'pins', title: 'Pins', publishedAt: new Date(), body: 'x' }), new Date())).id;
      const list: number[] = [];
      for (let i = 0; i < 7; i++) {
        p.clock.advance(1000);
        list.push((await posted(bob, text(`pin test ${i}`), { article: art })).id);
      }
      const oldest = list[0]!;
      const reply = await posted(ada, text('a reply'), { parentId: oldest, article: art });
      expect((await api(mod, 'PUT', `/admin/comments/${reply.id}/pin`, { pinned: true })).statusCode).toBe(400);
      expect(json(await api(mod, 'PUT', `/admin/comments/${oldest}/pin`, { pinned: true }))).toEqual({ id: oldest, pinned: true });
      for (const sort of ['top', 'newest', 'oldest']) {
        const seen: number[] = [];
        let cursor: string | null = null;
        let first = true;
        do {
          const page: any = json(
            await p.app.inject({ method: 'GET', url: `/api/v1/articles/${art}/comments?sort=${sort}${cursor ? `&cursor=${cursor}` : ''}` }),
          );
          if (first) {
            expect(page.threads[0].comment.id, sort).toBe(oldest);
            expect(page.threads[0].comment.pinned).toBe(true);
            expect(page.threads[0].replies.map((r: any) => r.id)).toEqual([reply.id]);
          }
          first = false;
          seen.push(...page.threads.map((t: any) => t.comment.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.sort(), sort).toEqual([...list].sort());
      }
      await api(mod, 'PUT', `/admin/comments/${oldest}/pin`, { pinned: false });
      const newest = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${art}/comments?sort=newest` }));
      expect(newest.threads[0].comment.id).toBe(list[6]);
    });

    it('locks a thread: no new replies but from staff, until unlocked', async () => {
      const root = await posted(ada, text('lock me'));
      const reply = await posted(bob, text('first reply'), { parentId: root.id });
      expect(json(await api(mod, 'PUT', `/admin/comments/${reply.id}/lock`, { locked: true }))).toEqual({ rootId: root.id, locked: true });
      for (const parentId of [root.id, reply.id]) {
        const res = await post(cy, text('too late'), { parentId });
        expect(res.statusCode).toBe(403);
        expect(json(res).error.code).toBe('thread_locked');
      }
      expect((await post(cy, text('a new thread is fine'))).statusCode).toBe(201);
      expect((await post(mod, text('staff may still answer'), { parentId: root.id })).statusCode).toBe(201);
      const thread = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${root.id}/thread` }));
      expect(thread.comment.locked).toBe(true);
      await api(mod, 'PUT', `/admin/comments/${root.id}/lock`, { locked: false });
      expect((await post(cy, text('open again'), { parentId: root.id })).statusCode).toBe(201);
    });

    it("closes an article's comments, surviving a content reload, and reopens them", async () => {
      expect(json(await api(mod, 'PUT', `/admin/articles/${members}/policy`, { policy: 'closed' }))).toEqual({ articleId: members, policy: 'closed' });
      const closed = await post(ada, text('anyone there?'), { article: members });
      expect(closed.statusCode).toBe(403);
      expect(json(closed).error.code).toBe('closed');
      await loadContent(p.config.CONTENT_DIR, p.store, p.clock);
      expect((await p.store.articles.byId(members))!.commentPolicy).toBe('closed');
      expect((await api(mod, 'PUT', `/admin/articles/${members}/policy`, { policy: null })).statusCode).toBe(200);
      expect((await p.store.articles.byId(members))!.commentPolicy).toBe('members');
      expect((await post(ada, text('open again'), { article: members })).statusCode).toBe(201);
    });

    it('suspends a reader for a period, and bans until lifted', async () => {
      const target = await posted(bob, text('mine to vote on'));
      const res = await api(mod, 'POST', `/admin/users/${ids.dan}/suspend`, { hours: 24, reason: 'cooling off' });
      expect(res.statusCode).toBe(200);
      expect(json(res).suspendedUntil).toBe(new Date(p.clock.now().getTime() + 24 * HOUR).toISOString());
      for (const r of [await post(dan, text('let me in')), await api(dan, 'PUT', `/comments/${target.id}/vote`, { value: 1 }), await report(dan, target.id)]) {
        expect(r.statusCode).toBe(403);
        expect(json(r).error.code).toBe('suspended');
      }
      p.clock.advance(24 * HOUR + 1000);
      expect((await post(dan, text('back again'))).statusCode).toBe(201);
      const before = json(await api(admin, 'GET', '/admin/settings'));
      await setSettings({ ...before, bannedWords: ['grumble'] });
      const waiting = json(await post(dan, text('grumble, grumble'))).comment as { id: number; status: string };
      expect(waiting.status).toBe('pending');
      await setSettings(before);

      expect((await api(mod, 'PUT', `/admin/users/${ids.dan}/ban`, { banned: true, reason: 'repeat offender' })).statusCode).toBe(200);
      // What the banned reader left waiting leaves the queue with the ban, and the audit says so.
      expect(await row(waiting.id)).toMatchObject({ status: 'rejected', moderationReason: 'author_banned' });
      expect((await queue(mod, 'pending')).items.some((i: any) => i.comment.author?.id === ids.dan)).toBe(false);
      expect((await audit()).find((e) => e.action === 'user.ban' && e.targetId === ids.dan)?.details).toMatchObject({
        reason: 'repeat offender',
        rejectedHeld: expect.any(Number),
      });
      // A ban ends the reader's sessions; signed in again, they read but may not write. It has no end.
      expect((await post(dan, text('still signed in?'))).statusCode).toBe(401);
      dan = await p.signIn('dan@example.com');
      p.clock.advance(10 * 24 * HOUR);
      expect(json(await post(dan, text('still here?'))).error.code).toBe('suspended');
      expect((await api(mod, 'PUT', `/admin/users/${ids.dan}/ban`, { banned: false })).statusCode).toBe(200);
      expect((await post(dan, text('reformed'))).statusCode).toBe(201);
      await api(mod, 'POST', `/admin/users/${ids.dan}/suspend`, { hours: 720 });
      expect((await api(mod, 'DELETE', `/admin/users/${ids.dan}/suspend`)).statusCode).toBe(200);
      expect((await post(dan, text('lifted early'))).statusCode).toBe(201);
    });
  });

  it('blunts vote rings: young accounts show in the counts but do not move the top order', async () => {
    const art = (
      await p.store.articles.upsert(blankArticle({ slug: 'ring', title: 'Ring', publishedAt: new Date(), body: 'x', commentPolicy: 'members' }), new Date())
    ).id;
    const honest = await posted(ada, text('a thoughtful comment'), { article: art });
    const shill = await posted(bob, text('buy my thing'), { article: art });
    const ring: Who[] = [];
    for (let i = 0; i < 4; i++) ring.push(await p.signIn(`sock${i}@example.com`));
    for (const sock of ring) expect((await api(sock, 'PUT', `/comments/${shill.id}/vote`, { value: 1 })).statusCode).toBe(200);
    expect((await api(cy, 'PUT', `/comments/${honest.id}/vote`, { value: 1 })).statusCode).toBe(200);
    const top = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${art}/comments?sort=top` }));
    expect(top.threads.map((t: any) => t.comment.id)).toEqual([honest.id, shill.id]);
    expect(top.threads[1].comment).toMatchObject({ up: 4, score: 4 });
    expect(await row(shill.id)).toMatchObject({ score: 4, rankScore: 0 });
    // A vote cast while young stays uncounted; retracting it takes away nothing it never added.
    await api(ring[0]!, 'PUT', `/comments/${shill.id}/vote`, { value: 0 });
    expect(await row(shill.id)).toMatchObject({ score: 3, rankScore: 0 });
    // Once the accounts are old enough, their new votes count.
    p.clock.advance(25 * HOUR);
    await api(ring[0]!, 'PUT', `/comments/${shill.id}/vote`, { value: 1 });
    await api(ring[1]!, 'PUT', `/comments/${shill.id}/vote`, { value: -1 });
    expect(await row(shill.id)).toMatchObject({ up: 3, down: 1, score: 2, rankScore: 0 });
    await api(ring[2]!, 'PUT', `/comments/${shill.id}/vote`, { value: 0 });
    await api(ring[2]!, 'PUT', `/comments/${shill.id}/vote`, { value: 1 });
    await api(ring[3]!, 'PUT', `/comments/${shill.id}/vote`, { value: 0 });
    await api(ring[3]!, 'PUT', `/comments/${shill.id}/vote`, { value: 1 });
    expect(await row(shill.id)).toMatchObject({ up: 3, down: 1, score: 2, rankScore: 2 });
    const after = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${art}/comments?sort=top` }));
    expect(after.threads.map((t: any) => t.comment.id)).toEqual([shill.id, honest.id]);
  });

  it('writes every action to an audit log only admins can read', async () => {
    const entries = await audit();
    const actions = new Set(entries.map((e) => e.action));
    for (const a of [
      'comment.approve',
      'comment.reject',
      'comment.edit',
      'comment.pin',
      'comment.unpin',
      'thread.lock',
      'thread.unlock',
      'article.policy',
      'article.moderation',
      'user.suspend',
      'user.unsuspend',
      'user.ban',
      'user.unban',
      'user.role',
      'settings.update',
      'comment.auto_hide',
    ]) {
      expect(actions, a).toContain(a);
    }
    const ban = entries.find((e) => e.action === 'user.ban')!;
    expect(ban).toMatchObject({ actor: { name: 'Mia' }, targetId: ids.dan, details: { reason: 'repeat offender' } });
    const reject = entries.find((e) => e.action === 'comment.reject' && e.details.reason === 'Personal attack')!;
    expect(reject.actor!.name).toBe('Mia');
    const settings = entries.find((e) => e.action === 'settings.update' && Array.isArray(e.details.bannedWords))!;
    expect(settings.actor!.name).toBe('Root');
    // Newest first, paged.
    const ids_ = (entries as unknown as { id: number }[]).map((e) => e.id);
    expect([...ids_].sort((a, b) => b - a)).toEqual(ids_);
    const page = await p.app.inject({ method: 'GET', url: '/admin/audit', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('user.ban');
    expect(page.body).toContain('repeat offender');
  });
});

describe.each(DIALECTS)('abuse limits on %s', (dialect) => {
  let p: TestParley;
  let open: number;
  let readers: Who[];
  let targets: number[];

  const api = (who: Who | null, method: Method, url: string, payload?: object, ip = '10.0.0.1') =>
    p.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {},
      remoteAddress: ip,
      ...(payload ? { payload } : {}),
    });
  const expect429 = (res: Awaited<ReturnType<typeof api>>) => {
    expect(res.statusCode, res.body).toBe(429);
    expect(json(res).error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(json(res).error.message).toMatch(/Try again in \d+ seconds/);
  };

  beforeAll(async () => {
    p = await startParley(dialect, {
      POST_LIMIT_PER_MINUTE: '3',
      VOTE_LIMIT_PER_MINUTE: '3',
      REPORT_LIMIT_PER_HOUR: '2',
      LOGIN_LIMIT_PER_EMAIL_PER_HOUR: '2',
      IP_LIMIT_FACTOR: '2',
      DUPLICATE_WINDOW_MINUTES: '0',
    });
    open = (await p.store.articles.bySlug('open-thread'))!.id;
    readers = [];
    for (let i = 0; i < 5; i++) {
      await p.accounts.grant(`r${i}@example.com`, null);
      readers.push(await p.signIn(`r${i}@example.com`));
    }
    const author = await p.signIn('author@example.com');
    await p.accounts.grant('author@example.com', null);
    targets = [];
    for (let i = 0; i < 3; i++) targets.push(json(await api(author, 'POST', `/articles/${open}/comments`, { body: `target ${i}` }, '10.9.9.9')).comment.id);
  });
  afterAll(() => p?.dispose());

  it('limits votes per reader, whatever their address, and per address, whoever votes', async () => {
    const [a, b, c, d] = readers;
    for (let i = 0; i < 3; i++) expect((await api(a!, 'PUT', `/comments/${targets[i]}/vote`, { value: 1 }, `10.1.0.${i}`)).statusCode).toBe(200);
    expect429(await api(a!, 'PUT', `/comments/${targets[0]}/vote`, { value: -1 }, '10.1.0.99'));
    // One address, many accounts: the address runs out at twice the per-reader limit.
    for (const who of [b!, c!])
      for (let i = 0; i < 3; i++) expect((await api(who, 'PUT', `/comments/${targets[i]}/vote`, { value: 1 }, '10.2.0.1')).statusCode).toBe(200);
    expect429(await api(d!, 'PUT', `/comments/${targets[0]}/vote`, { value: 1 }, '10.2.0.1'));
    expect((await api(d!, 'PUT', `/comments/${targets[0]}/vote`, { value: 1 }, '10.2.0.2')).statusCode).toBe(200);
  });

  it('limits posting per reader and per address', async () => {
    const [a, b, , , e] = readers;
    for (let i = 0; i < 3; i++) expect((await api(a!, 'POST', `/articles/${open}/comments`, { body: `burst ${i}` }, `10.3.0.${i}`)).statusCode).toBe(201);
    expect429(await api(a!, 'POST', `/articles/${open}/comments`, { body: 'burst 4' }, '10.3.0.50'));
    for (let i = 0; i < 3; i++) expect((await api(b!, 'POST', `/articles/${open}/comments`, { body: `b ${i}` }, '10.4.0.1')).statusCode).toBe(201);
    for (let i = 0; i < 3; i++) expect((await api(e!, 'POST', `/articles/${open}/comments`, { body: `e ${i}` }, '10.4.0.1')).statusCode).toBe(201);
    expect429(await api(readers[2]!, 'POST', `/articles/${open}/comments`, { body: 'one too many from here' }, '10.4.0.1'));
  });

  it('limits reports per reader', async () => {
    const [, , c] = readers;
    expect((await api(c!, 'POST', `/comments/${targets[0]}/report`, { reason: 'spam' }, '10.5.0.1')).statusCode).toBe(201);
    expect((await api(c!, 'POST', `/comments/${targets[1]}/report`, { reason: 'spam' }, '10.5.0.2')).statusCode).toBe(201);
    expect429(await api(c!, 'POST', `/comments/${targets[2]}/report`, { reason: 'spam' }, '10.5.0.3'));
  });

  it('limits sign-in mails per address, across the API and the form, from any machine', async () => {
    const before = p.mails.sent.length;
    expect((await api(null, 'POST', '/auth/login', { email: 'Victim@example.com' }, '10.6.0.1')).statusCode).toBe(202);
    const form = await p.app.inject({
      method: 'POST',
      url: '/signin',
      remoteAddress: '10.6.0.2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=victim%40example.com',
    });
    expect(form.statusCode).toBe(200);
    expect429(await api(null, 'POST', '/auth/login', { email: 'victim@example.com' }, '10.6.0.3'));
    expect(p.mails.sent.length).toBe(before + 2);
    // Other addresses are unaffected.
    expect((await api(null, 'POST', '/auth/login', { email: 'someone@example.com' }, '10.6.0.3')).statusCode).toBe(202);
  });
});
