import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startParley, type TestParley } from '../support/harness.js';

/**
 * Issue 15: `Notify of` without JavaScript (a form on the article page, for guests by double
 * opt-in and for signed-in readers), and the account-wide notification settings on /account.
 */
describe.each(DIALECTS)('notification forms on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  const slug = 'open-thread';
  type Who = { cookie: string; csrf: string };
  let ada: Who;

  const form = (url: string, fields: Record<string, string>, who?: Who, withCsrf = true) =>
    p.app.inject({
      method: 'POST',
      url,
      headers: { ...(who ? { cookie: who.cookie } : {}), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...(who && withCsrf ? { _csrf: who.csrf } : {}), ...fields }).toString(),
    });
  const adaActor = async () => p.accounts.actorFor((await p.store.users.byEmail('ada@example.com'))!);
  const followState = async () => p.notifications.state(await adaActor(), articleId);

  beforeAll(async () => {
    p = await startParley(dialect);
    articleId = (await p.store.articles.bySlug(slug))!.id;
    ada = await p.signIn('ada@example.com');
  });
  afterAll(() => p?.dispose());

  it('the article page offers the form without JavaScript: an email box to guests, the choices to readers', async () => {
    const guest = (await p.app.inject({ method: 'GET', url: `/articles/${slug}` })).body;
    const noscript = (html: string) => [...html.matchAll(/<noscript>([\s\S]*?)<\/noscript>/g)].map((m) => m[1]).join('');
    expect(noscript(guest)).toContain(`<form method="post" action="/articles/${slug}/notify" class="notify-form">`);
    expect(noscript(guest)).toContain('name="email"');
    const reader = (await p.app.inject({ method: 'GET', url: `/articles/${slug}`, headers: { cookie: ada.cookie } })).body;
    expect(noscript(reader)).toContain(`name="_csrf" value="${ada.csrf}"`);
    expect(noscript(reader)).toMatch(/name="replies" value="yes" checked/);
    // The account-wide ones say so, and link to where they live.
    expect(noscript(reader)).toContain('Replies and the daily email apply to every article, not only this one.');
    expect(noscript(reader)).toContain('href="/account#notifications"');
  });

  it('a guest gets a confirmation mail first (double opt-in); a bad address gets a clear 400', async () => {
    const res = await form(`/articles/${slug}/notify`, { article: String(articleId), email: 'guest.reader@example.com' });
    expect(res.statusCode).toBe(202);
    expect(res.body).toContain('Check guest.reader@example.com');
    await p.worker.runOnce();
    const mail = p.mails.sent.find((m) => m.to === 'guest.reader@example.com');
    expect(mail?.text).toContain('/follow/confirm?token=');
    // Not following until confirmed.
    expect((await p.store.notifications.followOf(articleId, 'guest.reader@example.com'))?.confirmed).toBe(false);

    const bad = await form(`/articles/${slug}/notify`, { article: String(articleId), email: 'not an address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('text/html');
    const wrongArticle = await form('/articles/members-thread/notify', { article: String(articleId), email: 'x@example.com' });
    expect(wrongArticle.statusCode).toBe(404);
  });

  it('a signed-in reader saves follow, replies and digest in one go, with the CSRF token only', async () => {
    const res = await form(`/articles/${slug}/notify`, { article: String(articleId), follow: 'yes', digest: 'daily' }, ada);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Notification settings saved');
    expect(await followState()).toMatchObject({ article: true, replies: false, digest: 'daily' });

    // An unticked box is not sent: the form states every choice each time.
    await form(`/articles/${slug}/notify`, { article: String(articleId), replies: 'yes' }, ada);
    expect(await followState()).toMatchObject({ article: false, replies: true, digest: 'instant' });

    const forged = await form(`/articles/${slug}/notify`, { article: String(articleId), follow: 'yes' }, ada, false);
    expect(forged.statusCode).toBe(403);
    expect(await followState()).toMatchObject({ article: false });
  });

  it('/account has the account-wide settings as a form that works without JavaScript', async () => {
    const page = await p.app.inject({ method: 'GET', url: '/account', headers: { cookie: ada.cookie } });
    expect(page.body).toContain('<section id="notifications" aria-labelledby="notifications-heading"');
    expect(page.body).toMatch(/name="replies" value="yes" checked/);
    expect(page.body).toMatch(/name="digest" value="instant" checked/);

    const saved = await form('/account/notifications', { digest: 'daily' }, ada);
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Notification settings saved.');
    expect(saved.body).toMatch(/name="digest" value="daily" checked/);
    expect(saved.body).not.toMatch(/name="replies" value="yes" checked/);
    expect(await followState()).toMatchObject({ replies: false, digest: 'daily' });

    const bad = await form('/account/notifications', { digest: 'hourly' }, ada);
    expect(bad.statusCode).toBe(400);
    expect(await followState()).toMatchObject({ digest: 'daily' });
    const forged = await form('/account/notifications', { replies: 'yes', digest: 'instant' }, ada, false);
    expect(forged.statusCode).toBe(403);
    expect(await followState()).toMatchObject({ replies: false, digest: 'daily' });
  });
});
