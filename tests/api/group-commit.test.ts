import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blankArticle } from '../../src/store/store.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };

/*
 * Posts sent at once share a transaction and its commit (src/store/group-commit.ts). Through the
 * API on each database: every post of a burst is stored, counted and announced once, in order; a
 * post refused inside a batch fails alone; and when the batch's COMMIT fails (a deferred foreign
 * key that a trigger breaks for posts saying POISON, checked only at COMMIT) no post of it is
 * acknowledged, and every 201 ever sent names a stored comment.
 */
describe.each(DIALECTS)('posting under group commit on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  const readers: Who[] = [];

  const post = (who: Who, body: string, key?: string) =>
    p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, ...(key ? { 'idempotency-key': key } : {}) },
      payload: { body },
    });
  const stored = async (body: string) => (await p.store.db.selectFrom('comments').select('id').where('body_src', '=', body).execute()).map((r) => Number(r.id));

  beforeAll(async () => {
    p = await startParley(dialect, { DUPLICATE_WINDOW_MINUTES: '10', PAGE_SIZE: '100' });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    for (const name of ['ada', 'bob', 'cat', 'dan', 'eve']) {
      await p.accounts.grant(`${name}@example.com`, null);
      readers.push(await p.signIn(`${name}@example.com`));
    }
    const db = p.store.db;
    await sql`create table gc_parent (id integer primary key)`.execute(db);
    await sql`create table gc_child (ref integer references gc_parent (id) deferrable initially deferred)`.execute(db);
    if (dialect === 'sqlite') {
      await sql`create trigger gc_poison after insert on comments when new.body_src like '%POISON%' begin insert into gc_child (ref) values (-1); end`.execute(
        db,
      );
    } else {
      await sql`create function gc_poison() returns trigger language plpgsql as $$ begin if new.body_src like '%POISON%' then insert into gc_child (ref) values (-1); end if; return new; end $$`.execute(
        db,
      );
      await sql`create trigger gc_poison after insert on comments for each row execute function gc_poison()`.execute(db);
    }
  });
  afterAll(() => p?.dispose());

  it('stores, counts and announces every post of a burst, each once, in commit order', async () => {
    const before = (await p.store.articles.byId(articleId))!.commentCount;
    const lastEvent = await p.store.events.lastId(articleId);
    const bodies = Array.from({ length: 40 }, (_, i) => `Burst post ${i}`);
    const answers = await Promise.all(bodies.map((b, i) => post(readers[i % readers.length]!, b)));
    expect(answers.map((a) => a.statusCode)).toEqual(bodies.map(() => 201));
    const ids = answers.map((a) => json(a).comment.id as number);
    for (const [i, b] of bodies.entries()) expect(await stored(b)).toEqual([ids[i]]);
    // Each answer's count was read in the shared transaction just after its own insert.
    expect(answers.map((a) => json(a).commentCount as number).sort((x, y) => x - y)).toEqual(bodies.map((_, i) => before + i + 1));
    expect((await p.store.articles.byId(articleId))!.commentCount).toBe(before + 40);
    const events = await p.store.events.since(articleId, lastEvent, 100);
    expect(events.map((e) => e.id)).toEqual(bodies.map((_, i) => lastEvent + i + 1));
    expect(events.every((e) => e.type === 'comment.created')).toBe(true);
    expect(events.map((e) => e.commentId).sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    // Comment ids were taken in the same order as event ids: one article's log follows its commits.
    expect(events.map((e) => e.commentId)).toEqual([...ids].sort((x, y) => x - y));
    const page = await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments?sort=newest` });
    const shown = new Set((json(page).threads as { comment: { id: number } }[]).map((t) => t.comment.id));
    expect(ids.filter((id) => !shown.has(id))).toEqual([]);
  });

  it("shares reads of the article's rules among posts sent at once, and a post still sees a change made before it", async () => {
    const moderation = p.store.moderation;
    const original = moderation.rulesWithArticle;
    let reads = 0;
    moderation.rulesWithArticle = (...args) => (reads++, original.apply(moderation, args));
    try {
      const bodies = Array.from({ length: 20 }, (_, i) => `Shared rules post ${i}`);
      const answers = await Promise.all(bodies.map((b, i) => post(readers[i % readers.length]!, b)));
      expect(answers.map((a) => a.statusCode)).toEqual(bodies.map(() => 201));
      expect(reads).toBeGreaterThan(0);
      // SQLite answers each read before the next request is taken, so there none overlap.
      if (dialect === 'postgres') expect(reads).toBeLessThan(bodies.length / 2);
      // Rules changed, then posts sent at once: every one of them is held by the new rule.
      await p.store.settings.put('moderation.rules', JSON.stringify({ premoderateAll: true }));
      const held = await Promise.all(readers.map((r, i) => post(r, `Sent after the change ${i}`)));
      expect(held.map((a) => json(a).comment.status)).toEqual(readers.map(() => 'pending'));
    } finally {
      moderation.rulesWithArticle = original;
      await p.store.settings.put('moderation.rules', JSON.stringify({}));
    }
  });

  it("counts each article's posts of a burst into several articles, the count each answer gives too", async () => {
    const other = (await p.store.articles.upsert(blankArticle({ slug: 'group-commit-other', title: 'Other', publishedAt: new Date(), body: 'x' }), new Date()))
      .id;
    const into = (id: number) => ({ id, before: 0 });
    const targets = [into(articleId), into(other)];
    for (const t of targets) t.before = (await p.store.articles.byId(t.id))!.commentCount;
    const sends = Array.from({ length: 30 }, (_, i) => ({ target: targets[i % 3 === 0 ? 1 : 0]!, body: `Spread post ${i}` }));
    const answers = await Promise.all(
      sends.map(({ target, body }, i) =>
        p.app.inject({
          method: 'POST',
          url: `/api/v1/articles/${target.id}/comments`,
          headers: { cookie: readers[i % readers.length]!.cookie, 'x-csrf-token': readers[i % readers.length]!.csrf },
          payload: { body },
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(sends.map(() => 201));
    for (const t of targets) {
      const mine = answers.filter((_, i) => sends[i]!.target === t).map((a) => json(a).commentCount as number);
      expect(mine.sort((x, y) => x - y)).toEqual(mine.map((_, i) => t.before + i + 1));
      expect((await p.store.articles.byId(t.id))!.commentCount).toBe(t.before + mine.length);
    }
  });

  it('refuses only the post that breaks a rule within a batch, and replays a key used twice in one', async () => {
    const [ada, bob, cat] = readers as [Who, Who, Who];
    const before = (await p.store.articles.byId(articleId))!.commentCount;
    const answers = await Promise.all([
      post(ada, 'Said twice at once'),
      post(ada, 'Said twice at once'),
      post(bob, 'Keyed once, sent twice', 'batch-key-000001'),
      post(bob, 'Keyed once, sent twice', 'batch-key-000001'),
      post(cat, 'An ordinary post beside them'),
    ]);
    const [first, second, keyedA, keyedB, other] = answers as [
      (typeof answers)[0],
      (typeof answers)[0],
      (typeof answers)[0],
      (typeof answers)[0],
      (typeof answers)[0],
    ];
    // The duplicate rule sees the first post, written earlier in the same transaction.
    expect([first.statusCode, second.statusCode].sort()).toEqual([201, 409]);
    const [won, lost] = first.statusCode === 201 ? [first, second] : [second, first];
    expect(json(lost).error.code).toBe('duplicate_comment');
    expect(await stored('Said twice at once')).toEqual([json(won).comment.id]);
    expect(keyedA.statusCode).toBe(201);
    expect(keyedB.statusCode).toBe(201);
    expect(keyedA.body).toBe(keyedB.body);
    expect([keyedA.headers['idempotent-replayed'], keyedB.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
    expect(await stored('Keyed once, sent twice')).toHaveLength(1);
    expect(other.statusCode).toBe(201);
    expect(await stored('An ordinary post beside them')).toEqual([json(other).comment.id]);
    // The batch that met the refusal ran again, each post on its own: three posts counted, once.
    expect((await p.store.articles.byId(articleId))!.commentCount).toBe(before + 3);
    expect([json(won), json(keyedA), json(other)].map((a) => a.commentCount as number).sort((x, y) => x - y)).toEqual([before + 1, before + 2, before + 3]);
  });

  it('acknowledges no post of a batch whose COMMIT fails, and every 201 names a stored comment', async () => {
    const bodies = ['POISON at commit', 'Sent beside it 1', 'Sent beside it 2', 'Sent beside it 3', 'Sent beside it 4'];
    const before = (await p.store.articles.byId(articleId))!.commentCount;
    const answers = await Promise.all(bodies.map((b, i) => post(readers[i]!, b)));
    for (const [i, a] of answers.entries()) {
      const rows = await stored(bodies[i]!);
      if (a.statusCode === 201) expect(rows).toEqual([json(a).comment.id]);
      else {
        expect(a.statusCode).toBeGreaterThanOrEqual(500);
        expect(json(a).error.code).toEqual(expect.any(String));
        expect(a.body).not.toMatch(/at .*\.(ts|js):\d+/);
        expect(rows).toEqual([]);
      }
    }
    expect(answers[0]!.statusCode).toBe(500);
    // On SQLite requests sent at once reach the queue in one turn of the event loop, so all share
    // the poisoned batch; on PostgreSQL each arrives when its reads return, so which of them do
    // varies, and what holds is the rule above.
    const acknowledged = answers.filter((a) => a.statusCode === 201).length;
    if (dialect === 'sqlite') expect(acknowledged).toBe(0);
    expect((await p.store.articles.byId(articleId))!.commentCount).toBe(before + acknowledged);
    // Nothing of it stays behind: the same posts go through once the poison is left out.
    const refused = bodies.filter((_, i) => i > 0 && answers[i]!.statusCode !== 201);
    const again = await Promise.all(refused.map((b) => post(readers[bodies.indexOf(b)]!, b)));
    expect(again.map((a) => a.statusCode)).toEqual(refused.map(() => 201));
    expect((await p.store.articles.byId(articleId))!.commentCount).toBe(before + 4);
  });
});
