import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };

describe.each(DIALECTS)('account self-service on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;

  const api = (who: Who | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    p.app.inject({ method, url, headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}, ...(payload ? { payload } : {}) });
  const form = (who: Who, url: string, fields: Record<string, string>) =>
    p.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    });
  const viewerOf = async (who: Who) => json(await p.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: who.cookie } })).viewer;
  const post = async (who: Who, body: string, parentId?: number) => {
    const res = await api(who, 'POST', `/api/v1/articles/${articleId}/comments`, { body, ...(parentId ? { parentId } : {}) });
    expect(res.statusCode).toBe(201);
    return json(res).comment as { id: number };
  };
  const thread = async (commentId: number) => json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${commentId}/thread` }));
  const commentIn = (page: Record<string, any>, id: number) => {
    const threads = page.comment ? [page] : (page.page?.threads ?? []);
    for (const t of threads) for (const c of [t.comment, ...t.replies]) if (c.id === id) return c;
    return null;
  };
  const discussion = async () => json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/discussion?sort=oldest` }));

  beforeAll(async () => {
    p = await startParley(dialect);
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
  });
  afterAll(() => p?.dispose());

  it('sends signed-out visitors to sign in', async () => {
    const res = await p.app.inject({ method: 'GET', url: '/account' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin?return=%2Faccount');
    expect((await api(null, 'GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await api(null, 'GET', '/api/v1/me/export')).statusCode).toBe(401);
  });

  it('renames the reader, with the new initials and name everywhere', async () => {
    await p.accounts.grant('ren@example.com', null);
    const ren = await p.signIn('ren@example.com');
    const c = await post(ren, 'Before the rename');

    const page = await p.app.inject({ method: 'GET', url: '/account', headers: { cookie: ren.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('aria-label="Your avatar: R"');
    expect(page.body).toContain(`name="_csrf" value="${ren.csrf}"`);

    const res = await form(ren, '/account/name', { displayName: '  Renée   van Dijk ' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Your name was changed.');
    expect(res.body).toContain('aria-label="Your avatar: RD"');
    expect(res.body).toContain('Signed in as Renée van Dijk');
    expect((await viewerOf(ren)).name).toBe('Renée van Dijk');
    expect(commentIn(await discussion(), c.id).author.name).toBe('Renée van Dijk');

    const viaApi = await api(ren, 'PATCH', '/api/v1/me', { displayName: 'Ren 🌷' });
    expect(json(viaApi)).toEqual({ displayName: 'Ren 🌷' });
    for (const bad of ['', '   ', 'x'.repeat(61), 'line\nbreak', 'bell\u0007']) {
      const r = await api(ren, 'PATCH', '/api/v1/me', { displayName: bad });
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(json(r).error.code).toBe('display_name_invalid');
    }
    const badForm = await form(ren, '/account/name', { displayName: '' });
    expect(badForm.statusCode).toBe(400);
    expect(badForm.body).toContain('Names are 1 to 60 characters');
    // Without the CSRF token nothing changes.
    const forged = await p.app.inject({
      method: 'POST',
      url: '/account/name',
      headers: { cookie: ren.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'displayName=Hacked',
    });
    expect(forged.statusCode).toBe(403);
    expect((await viewerOf(ren)).name).toBe('Ren 🌷');
  });

  it('changes the email address only once the new address confirms', async () => {
    const old = await p.signIn('old.address@example.com');
    const before = await viewerOf(old);
    expect((await form(old, '/account/email', { email: 'Old.Address@example.com' })).statusCode).toBe(400);

    const res = await form(old, '/account/email', { email: 'New.Address@example.com' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('We sent a confirmation link to new.address@example.com');
    const mail = p.mails.sent.at(-1)!;
    expect(mail.to).toBe('new.address@example.com');
    const token = /\/account\/email\/confirm\?token=([\w-]+)/.exec(mail.text)![1]!;
    expect((await viewerOf(old)).email).toBe('old.address@example.com');

    // Opening the link only shows a button; posting it makes the change.
    const shown = await p.app.inject({ method: 'GET', url: `/account/email/confirm?token=${token}` });
    expect(shown.body).toContain(`value="${token}"`);
    expect((await viewerOf(old)).email).toBe('old.address@example.com');
    const done = await p.app.inject({
      method: 'POST',
      url: '/account/email/confirm',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${token}`,
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your account now uses new.address@example.com');
    expect(await viewerOf(old)).toMatchObject({ id: before.id, email: 'new.address@example.com' });
    const again = await p.app.inject({
      method: 'POST',
      url: '/account/email/confirm',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${token}`,
    });
    expect(again.statusCode).toBe(400);

    // An address someone else took meanwhile is refused when the link is used.
    const other = await p.signIn('other@example.com');
    expect((await api(other, 'POST', '/api/v1/me/email', { email: 'taken@example.com' })).statusCode).toBe(202);
    const takenToken = /token=([\w-]+)/.exec(p.mails.sent.at(-1)!.text)![1]!;
    await p.signIn('taken@example.com');
    const clash = await api(null, 'POST', '/api/v1/me/email/confirm', { token: takenToken });
    expect(clash.statusCode).toBe(409);
    expect(json(clash).error.code).toBe('email_taken');
    expect((await viewerOf(other)).email).toBe('other@example.com');
  });

  it('signs out everywhere', async () => {
    const laptop = await p.signIn('many@example.com');
    const phone = await p.signIn('many@example.com');
    const res = await form(laptop, '/account/signout-everywhere', {});
    expect(res.statusCode).toBe(303);
    expect(await viewerOf(laptop)).toBeNull();
    expect(await viewerOf(phone)).toBeNull();

    const a = await p.signIn('many@example.com');
    const b = await p.signIn('many@example.com');
    expect((await api(a, 'DELETE', '/api/v1/me/sessions')).statusCode).toBe(200);
    expect(await viewerOf(b)).toBeNull();
  });

  it('deletes an account and keeps its comments under [deleted user]', async () => {
    await p.accounts.grant('leaver@example.com', null);
    await p.accounts.grant('stayer@example.com', null);
    const leaver = await p.signIn('leaver@example.com');
    const stayer = await p.signIn('stayer@example.com');
    const mine = await post(leaver, 'Words that stay');
    const reply = await post(stayer, 'A reply that stays', mine.id);
    expect((await api(leaver, 'PUT', `/api/v1/articles/${articleId}/follow`, { follow: true })).statusCode).toBe(200);
    const id = (await viewerOf(leaver)).id;

    const unconfirmed = await form(leaver, '/account/delete', {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(await viewerOf(leaver)).not.toBeNull();

    const res = await form(leaver, '/account/delete', { confirm: 'yes' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Account deleted');
    expect(await viewerOf(leaver)).toBeNull();

    const t = await thread(mine.id);
    const kept = commentIn(t, mine.id);
    expect(kept).toMatchObject({ status: 'visible', author: { id, name: '[deleted user]' } });
    expect(kept.bodyHtml).toContain('Words that stay');
    expect(commentIn(t, reply.id)).toMatchObject({ replyTo: '[deleted user]' });

    expect(await p.store.users.byEmail('leaver@example.com')).toBeNull();
    expect((await p.store.users.byId(id))!.email).not.toContain('leaver');
    expect(await p.store.billing.entitlementsOf(id)).toEqual([]);
    expect(await p.store.notifications.followOf(articleId, 'leaver@example.com')).toBeNull();
    // The address is free again: signing in with it makes a new, empty account.
    const back = await p.signIn('leaver@example.com');
    expect((await viewerOf(back)).id).not.toBe(id);
  });

  it('erases the comments too when asked, leaving placeholders and no revisions', async () => {
    await p.accounts.grant('eraser@example.com', null);
    await p.accounts.grant('witness@example.com', null);
    const eraser = await p.signIn('eraser@example.com');
    const witness = await p.signIn('witness@example.com');
    const mine = await post(eraser, 'Words to erase');
    expect((await api(eraser, 'PATCH', `/api/v1/comments/${mine.id}`, { body: 'Edited words to erase' })).statusCode).toBe(200);
    const reply = await post(witness, 'Reply to an erased comment', mine.id);
    const countBefore = (await p.store.articles.byId(articleId))!.commentCount;

    const res = await api(eraser, 'DELETE', '/api/v1/me', { eraseComments: true });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ deleted: true });

    const t = await thread(mine.id);
    expect(commentIn(t, mine.id)).toMatchObject({ status: 'deleted', author: null, bodyHtml: '' });
    expect(commentIn(t, reply.id)).toMatchObject({ status: 'visible', replyTo: null });
    expect(await p.store.comments.revisionsOf(mine.id)).toEqual([]);
    const stored = (await p.store.comments.byId(mine.id))!;
    expect(stored.bodySrc).toBe('');
    expect((await p.store.articles.byId(articleId))!.commentCount).toBe(countBefore - 1);
    expect(JSON.stringify(await p.store.db.selectFrom('comment_revisions').selectAll().execute())).not.toContain('to erase');
  });

  it('will not delete an account that Stripe is still charging', async () => {
    const payer = await p.signIn('payer@example.com');
    const id = (await viewerOf(payer)).id;
    await p.store.billing.putEntitlement({
      userId: id,
      source: 'stripe',
      externalRef: 'sub_payer',
      status: 'active',
      currentPeriodEnd: new Date(p.clock.now().getTime() + 86_400_000),
      now: p.clock.now(),
    });
    const res = await api(payer, 'DELETE', '/api/v1/me', {});
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('subscription_active');
    expect(await viewerOf(payer)).not.toBeNull();
    const page = await form(payer, '/account/delete', { confirm: 'yes' });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('Cancel your paid subscription');
  });

  it('exports the profile, comments with every revision, votes, subscriptions and follows', async () => {
    await p.accounts.grant('exporter@example.com', new Date('2027-06-01T00:00:00Z'));
    await p.accounts.grant('author@example.com', null);
    const me = await p.signIn('exporter@example.com');
    const author = await p.signIn('author@example.com');
    const c = await post(me, 'First version');
    await api(me, 'PATCH', `/api/v1/comments/${c.id}`, { body: 'Second version' });
    const theirs = await post(author, 'Vote on me');
    expect((await api(me, 'PUT', `/api/v1/comments/${theirs.id}/vote`, { value: 1 })).statusCode).toBe(200);
    expect((await api(me, 'PUT', `/api/v1/articles/${articleId}/follow`, { follow: true })).statusCode).toBe(200);

    const res = await api(me, 'GET', '/api/v1/me/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="parley-account-\d{4}-\d{2}-\d{2}\.json"$/);
    const data = json(res);
    expect(data.profile).toMatchObject({ email: 'exporter@example.com', displayName: 'Exporter', role: 'reader' });
    expect(data.entitlements).toEqual([{ source: 'manual', status: 'active', currentPeriodEnd: '2027-06-01T00:00:00.000Z' }]);
    expect(data.comments).toHaveLength(1);
    expect(data.comments[0]).toMatchObject({ id: c.id, article: { id: articleId, slug: 'open-thread' }, body: 'Second version', status: 'visible' });
    expect(data.comments[0].revisions.map((r: { body: string }) => r.body)).toEqual(['First version', 'Second version']);
    expect(data.votes).toEqual([expect.objectContaining({ commentId: theirs.id, value: 1 })]);
    expect(data.follows).toEqual([expect.objectContaining({ articleId, email: 'exporter@example.com', confirmed: true })]);
    expect(JSON.stringify(data)).not.toContain('Vote on me');

    const download = await p.app.inject({ method: 'GET', url: '/account/export', headers: { cookie: me.cookie } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(download.body).comments[0].revisions).toHaveLength(2);

    const state = json(await api(me, 'GET', '/api/v1/me'));
    expect(state.subscription).toEqual({ kind: 'active', until: '2027-06-01T00:00:00.000Z', manageable: false });
  });
});
