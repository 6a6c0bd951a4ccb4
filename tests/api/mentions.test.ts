import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { injectAs } from '../support/api-client.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
let seq = 0;
const text = (s: string) => `${s} #${++seq}`;

/** Issue 16, mentions: `@name` of a participant links to their comment and tells them as a reply would. */
describe.each(DIALECTS)('mentions on %s', (dialect) => {
  let p: TestParley;
  let open: number;
  let other: number;
  let ada: Who;
  let bob: Who;
  let cy: Who;
  let dee: Who;
  let ids: Record<string, number>;

  const api = (who: Who | null, method: Method, url: string, payload?: object) => injectAs(p.app)(who, method, url, payload);
  const posted = async (who: Who, body: string, parentId?: number, article = open) => {
    const res = await api(who, 'POST', `/articles/${article}/comments`, { body, ...(parentId ? { parentId } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).comment as { id: number; bodyHtml: string };
  };
  const mailsTo = (email: string) => p.mails.sent.filter((m) => m.to === email && !m.text.includes('/auth/verify'));
  const participants = async (q: string, thread?: number) =>
    json(await api(null, 'GET', `/articles/${open}/participants?q=${encodeURIComponent(q)}${thread ? `&thread=${thread}` : ''}`)).participants as {
      id: number;
      name: string;
      commentId: number;
    }[];

  beforeAll(async () => {
    p = await startParley(dialect, { POST_LIMIT_PER_MINUTE: '6' });
    open = (await p.store.articles.bySlug('open-thread'))!.id;
    other = (await p.store.articles.bySlug('members-thread'))!.id;
    const names: Record<string, string> = { ada: 'Ada Lovelace', bob: 'Bob', cy: 'Cy <b>Young</b>', dee: 'Dee' };
    for (const e of Object.keys(names)) await p.accounts.grant(`${e}@example.com`, null);
    [ada, bob, cy, dee] = (await Promise.all(Object.keys(names).map((e) => p.signIn(`${e}@example.com`)))) as [Who, Who, Who, Who];
    ids = {};
    for (const [e, name] of Object.entries(names)) {
      ids[e] = (await p.store.users.byEmail(`${e}@example.com`))!.id;
      await p.store.db.updateTable('users').set({ display_name: name }).where('id', '=', ids[e]!).execute();
    }
  });
  afterAll(() => p?.dispose());

  it("suggests the thread's participants first, by the start of their name", async () => {
    const root = await posted(bob, text('Bob opens a thread'));
    const adaReply = await posted(ada, text('Ada answers'), root.id);
    // Dee wrote elsewhere in the article, later: in the article's list, but after the thread's.
    const deeTop = await posted(dee, text('Dee elsewhere'));
    const all = await participants('', adaReply.id);
    expect(
      all
        .slice(0, 2)
        .map((x) => x.name)
        .sort(),
    ).toEqual(['Ada Lovelace', 'Bob']);
    expect(all.map((x) => x.name)).toContain('Dee');
    expect(all.find((x) => x.name === 'Dee')!.commentId).toBe(deeTop.id);
    expect(await participants('ada l')).toEqual([{ id: ids.ada, name: 'Ada Lovelace', commentId: adaReply.id }]);
    // LIKE wildcards are literal.
    expect(await participants('%')).toEqual([]);
    expect(await participants('_')).toEqual([]);
    const bad = await api(null, 'GET', `/articles/${open}/participants`);
    expect(bad.statusCode).toBe(400);
    expect((await api(null, 'GET', '/articles/999999/participants?q=a')).statusCode).toBe(404);
  });

  it('links @name to that reader’s comment in the thread, safely, and nothing else', async () => {
    const root = await posted(bob, text('Bob asks'));
    const adaReply = await posted(ada, text('Ada replies'), root.id);
    await posted(cy, text('Cy is here'), root.id);
    const c = await posted(dee, text('Thanks @Ada Lovelace and @Bob! Not @Bobby, not bob@Bob.com, not `@Bob`, and @Cy <b>Young</b>'), root.id);
    expect(c.bodyHtml).toContain(`<a href="#comment-${adaReply.id}" class="parley-mention">@Ada Lovelace</a>`);
    expect(c.bodyHtml).toContain(`<a href="#comment-${root.id}" class="parley-mention">@Bob</a>!`);
    expect(c.bodyHtml).toContain('@Bobby');
    expect(c.bodyHtml).not.toContain('@Bobby</a>');
    expect(c.bodyHtml).toContain('<code>@Bob</code>');
    // A name with markup is text inside the link, never markup.
    expect(c.bodyHtml).toContain('class="parley-mention">@Cy &lt;b&gt;Young&lt;/b&gt;</a>');
    expect(c.bodyHtml).not.toContain('<b>');
    // Nobody can write a mention link by hand.
    const forged = await posted(ada, text(`[click](#comment-${root.id}) <a href="#comment-1" class="parley-mention">x</a>`));
    expect(forged.bodyHtml).not.toMatch(/<a [^>]*parley-mention/);
    expect(forged.bodyHtml).not.toContain('<a href="#comment');
    // A reader of another article is no participant here.
    const elsewhere = await posted(ada, text('@Dee on another article'), undefined, other);
    expect(elsewhere.bodyHtml).not.toMatch(/<a [^>]*parley-mention/);
    // An edit links new mentions too.
    const edited = await api(dee, 'PATCH', `/comments/${c.id}`, { body: 'Now only @Bob' });
    expect(json(edited).comment.bodyHtml).toContain(`<a href="#comment-${root.id}" class="parley-mention">@Bob</a>`);
    // So does a moderator's.
    await p.accounts.grant('mod@example.com', null);
    await p.moderation.setRoleByEmail('mod@example.com', 'moderator', 'Mod');
    const mod = await p.signIn('mod@example.com');
    const byMod = await api(mod, 'PATCH', `/admin/comments/${c.id}`, { body: 'Tidied: thanks @Ada Lovelace' });
    expect(json(byMod).bodyHtml).toContain(`<a href="#comment-${adaReply.id}" class="parley-mention">@Ada Lovelace</a>`);
  });

  it('mails a mentioned reader under their reply setting, once, and not when they muted the author', async () => {
    const root = await posted(ada, text('Ada starts'));
    await posted(bob, text('Bob joins'), root.id);
    await p.worker.runOnce();
    const bobBefore = mailsTo('bob@example.com').length;
    const c = await posted(cy, text('I agree with @Bob here'));
    await p.worker.runOnce();
    const toBob = mailsTo('bob@example.com').slice(bobBefore);
    expect(toBob).toHaveLength(1);
    expect(toBob[0]!.subject).toContain('mentioned you');
    expect(toBob[0]!.text).toContain(`?comment=${c.id}#comment-${c.id}`);
    expect(toBob[0]!.headers?.['List-Unsubscribe']).toMatch(/unsubscribe\?token=u/);
    // A reply that also mentions its parent's author: one mail, the reply one.
    const adaBefore = mailsTo('ada@example.com').length;
    await posted(dee, text('@Ada Lovelace good point'), root.id);
    await p.worker.runOnce();
    const toAda = mailsTo('ada@example.com').slice(adaBefore);
    expect(toAda).toHaveLength(1);
    expect(toAda[0]!.subject).toContain('replied to your comment');
    // Reply notifications off: no mention mail either.
    await api(bob, 'PUT', '/me/notifications', { replies: false });
    await posted(cy, text('@Bob again'));
    await p.worker.runOnce();
    expect(mailsTo('bob@example.com').slice(bobBefore)).toHaveLength(1);
    await api(bob, 'PUT', '/me/notifications', { replies: true });
    // Bob muted Cy: Cy's mentions do not reach him.
    await api(bob, 'PUT', `/me/mutes/${ids.cy}`);
    await posted(cy, text('@Bob are you there'));
    await p.worker.runOnce();
    expect(mailsTo('bob@example.com').slice(bobBefore)).toHaveLength(1);
    await api(bob, 'DELETE', `/me/mutes/${ids.cy}`);
    // Mentioning yourself tells nobody.
    const deeBefore = mailsTo('dee@example.com').length;
    await posted(dee, text('As @Dee said'));
    await p.worker.runOnce();
    expect(mailsTo('dee@example.com').slice(deeBefore)).toHaveLength(0);
  });

  it('is rate-limited like replies: a post naming someone counts against the same per-reader limit', async () => {
    const before = mailsTo('ada@example.com').length;
    let refused = 0;
    for (let i = 0; i < 8; i++) {
      const res = await api(dee, 'POST', `/articles/${open}/comments`, { body: text(`@Ada Lovelace ping ${i}`) });
      if (res.statusCode === 429) refused++;
      else expect(res.statusCode, res.body).toBe(201);
    }
    expect(refused).toBeGreaterThan(0);
    await p.worker.runOnce();
    // Only the posts that went through told Ada.
    expect(mailsTo('ada@example.com').length - before).toBe(8 - refused);
  });
});
