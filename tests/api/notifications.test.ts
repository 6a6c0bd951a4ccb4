import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

describe.each(DIALECTS)('notifications on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  let ada: { cookie: string; csrf: string };
  let bob: { cookie: string; csrf: string };
  let cy: { cookie: string; csrf: string };
  const as = (who: { cookie: string; csrf: string }) => ({ cookie: who.cookie, 'x-csrf-token': who.csrf });
  const post = async (who: typeof ada, body: string, parentId?: number) =>
    json(await p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/comments`, headers: as(who), payload: { body, parentId } })).comment as {
      id: number;
    };
  const mailsTo = (email: string) => p.mails.sent.filter((m) => m.to === email && !m.text.includes('/auth/verify'));

  beforeAll(async () => {
    p = await startParley(dialect);
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    for (const e of ['ada@example.com', 'bob@example.com', 'cy@example.com']) await p.accounts.grant(e, null);
    ada = await p.signIn('ada@example.com');
    bob = await p.signIn('bob@example.com');
    cy = await p.signIn('cy@example.com');
  });
  afterAll(() => p?.dispose());

  it('mails followers and the replied-to author once each, never the author of the comment', async () => {
    const f = await p.app.inject({ method: 'PUT', url: `/api/v1/articles/${articleId}/follow`, headers: as(ada), payload: { follow: true } });
    expect(json(f)).toMatchObject({ article: true, replies: true });
    const root = await post(ada, 'Ada starts a thread');
    await p.worker.runOnce();
    expect(mailsTo('ada@example.com')).toHaveLength(0);
    const reply = await post(bob, 'Bob answers *Ada*', root.id);
    await p.worker.runOnce();
    const toAda = mailsTo('ada@example.com');
    // Ada follows the article AND is answered: one mail, the reply one.
    expect(toAda).toHaveLength(1);
    expect(toAda[0]!.subject).toContain('Bob replied to your comment');
    expect(toAda[0]!.text).toContain(`?comment=${reply.id}#comment-${reply.id}`);
    expect(toAda[0]!.html).toContain('<em>Ada</em>');
    expect(toAda[0]!.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(toAda[0]!.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/unsubscribe\?token=u[\w-]+>$/);
    expect(mailsTo('bob@example.com')).toHaveLength(0);
    await p.worker.runOnce();
    expect(mailsTo('ada@example.com')).toHaveLength(1);
  });

  it('sends nothing for comments deleted before delivery, nor to suspended readers', async () => {
    const before = mailsTo('ada@example.com').length;
    const c = await post(bob, 'soon gone');
    await p.app.inject({ method: 'DELETE', url: `/api/v1/comments/${c.id}`, headers: as(bob) });
    await p.worker.runOnce();
    expect(mailsTo('ada@example.com')).toHaveLength(before);
    const ada0 = (await p.store.users.byEmail('ada@example.com'))!;
    await p.store.db
      .updateTable('users')
      .set({ suspended_until: p.clock.now().getTime() + 86400_000 })
      .where('id', '=', ada0.id)
      .execute();
    await post(cy, 'while Ada is suspended');
    await p.worker.runOnce();
    expect(mailsTo('ada@example.com')).toHaveLength(before);
    await p.store.db.updateTable('users').set({ suspended_until: null }).where('id', '=', ada0.id).execute();
  });

  it('lets a guest follow only after confirming by email, and unsubscribe in one click', async () => {
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/follow-by-email`, payload: { email: 'Guest@Example.com' } });
    expect(res.statusCode).toBe(202);
    await post(bob, 'before the guest confirms');
    await p.worker.runOnce();
    const confirm = mailsTo('guest@example.com');
    expect(confirm).toHaveLength(1);
    const token = /follow\/confirm\?token=([\w-]+)/.exec(confirm[0]!.text)![1]!;
    const page = await p.app.inject({ method: 'POST', url: '/follow/confirm', payload: { token } });
    expect(page.statusCode).toBe(200);
    await post(bob, 'after the guest confirms');
    await p.worker.runOnce();
    const mails = mailsTo('guest@example.com');
    expect(mails).toHaveLength(2);
    expect(mails[1]!.text).toContain('after the guest confirms');
    const unsubscribe = /<(.+)>/.exec(mails[1]!.headers!['List-Unsubscribe']!)![1]!;
    const one = await p.app.inject({
      method: 'POST',
      url: new URL(unsubscribe).pathname + new URL(unsubscribe).search,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: ada.cookie },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(one.statusCode).toBe(200);
    await post(bob, 'after the guest left');
    await p.worker.runOnce();
    expect(mailsTo('guest@example.com')).toHaveLength(2);
    const again = await p.app.inject({ method: 'POST', url: new URL(unsubscribe).pathname + new URL(unsubscribe).search, payload: '' });
    expect(again.statusCode).toBe(400);
  });

  it('folds a daily digest into one mail at the digest hour', async () => {
    await p.app.inject({ method: 'PUT', url: '/api/v1/me/notifications', headers: as(cy), payload: { digest: 'daily' } });
    await p.app.inject({ method: 'PUT', url: `/api/v1/articles/${articleId}/follow`, headers: as(cy), payload: { follow: true } });
    await post(bob, 'digest one');
    await post(ada, 'digest two');
    await p.worker.runOnce();
    expect(mailsTo('cy@example.com')).toHaveLength(0);
    p.clock.advance(25 * 3600_000);
    await p.worker.runOnce();
    const digest = mailsTo('cy@example.com');
    expect(digest).toHaveLength(1);
    expect(digest[0]!.text).toContain('digest one');
    expect(digest[0]!.text).toContain('digest two');
  });

  it('retries failed deliveries with backoff and records the message id', async () => {
    await p.app.inject({ method: 'PUT', url: '/api/v1/me/notifications', headers: as(cy), payload: { digest: 'instant' } });
    const real = p.mails.send.bind(p.mails);
    let failures = 2;
    p.mails.send = async (m) => {
      if (m.to === 'cy@example.com' && failures-- > 0) throw new Error('421 try later');
      return real(m);
    };
    const c = await post(bob, 'flaky smtp');
    await p.worker.runOnce();
    const row = () => p.store.notifications.outboxRows().then((rows) => rows.find((r) => r.comment_id === c.id && r.recipient === 'cy@example.com')!);
    expect(await row()).toMatchObject({ status: 'pending', attempts: 1 });
    await p.worker.runOnce();
    expect((await row()).attempts).toBe(1);
    p.clock.advance(31_000);
    await p.worker.runOnce();
    expect(await row()).toMatchObject({ status: 'pending', attempts: 2 });
    p.clock.advance(61_000);
    await p.worker.runOnce();
    const done = await row();
    expect(done.status).toBe('sent');
    expect(done.message_id).toMatch(/^<parley\./);
    p.mails.send = real;
  });

  it('validates follow input', async () => {
    expect((await p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/follow-by-email`, payload: { email: 'nope' } })).statusCode).toBe(400);
    expect((await p.app.inject({ method: 'PUT', url: `/api/v1/articles/${articleId}/follow`, payload: { follow: true } })).statusCode).toBe(401);
    expect((await p.app.inject({ method: 'POST', url: `/unsubscribe?token=<script>`, payload: '' })).statusCode).toBe(400);
  });
});
