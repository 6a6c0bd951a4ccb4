import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };

/** Unique words per test, so one test's comments never trip the duplicate rule in another. */
let seq = 0;
const words = (s: string) => `${s} #${++seq}`;

/**
 * Issue 11, fault 5: a retry after a lost answer stored a second comment, and identical posts
 * sent at once got past the duplicate rule. A key names one post; one author posts one at a time.
 */
describe.each(DIALECTS)('posting is idempotent on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  let ada: Who;
  let bob: Who;
  let adaId: number;

  const post = (who: Who, payload: object, key?: string) =>
    p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload,
    });
  /** Rows stored with these words by anyone, whatever their status. */
  const stored = async (body: string) =>
    (await p.store.db.selectFrom('comments').select(['id', 'author_id']).where('body_src', '=', body).orderBy('id').execute()).map((r) => ({
      id: Number(r.id),
      authorId: Number(r.author_id),
    }));

  beforeAll(async () => {
    p = await startParley(dialect, { DUPLICATE_WINDOW_MINUTES: '10' });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    await p.accounts.grant('ada@example.com', null);
    await p.accounts.grant('bob@example.com', null);
    ada = await p.signIn('ada@example.com');
    bob = await p.signIn('bob@example.com');
    adaId = (await p.store.users.byEmail('ada@example.com'))!.id;
  });
  afterAll(() => p?.dispose());

  it('answers a retry with the same key with the first answer, byte for byte, and stores one comment', async () => {
    const body = words('Lost in the post');
    const first = await post(ada, { body }, 'retry-key-0001');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post(ada, { body }, 'retry-key-0001');
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    // Past the duplicate rule's window (which used to be all that stopped a second copy) the
    // key still answers for the post, and a reply is keyed the same way.
    p.clock.advance(11 * 60_000);
    const later = await post(ada, { body }, 'retry-key-0001');
    expect(later.statusCode).toBe(201);
    expect(later.body).toBe(first.body);
    expect(await stored(body)).toEqual([{ id: json(first).comment.id, authorId: adaId }]);

    const reply = { body: words('A reply, sent twice'), parentId: json(first).comment.id };
    const r1 = await post(ada, reply, 'reply-key-0001');
    const r2 = await post(ada, reply, 'reply-key-0001');
    expect([r1.statusCode, r2.statusCode]).toEqual([201, 201]);
    expect(r2.headers['idempotent-replayed']).toBe('true');
    expect(r2.body).toBe(r1.body);
    expect(await stored(reply.body)).toHaveLength(1);
    expect((await p.store.comments.byId(json(first).comment.id))!.replyCount).toBe(1);
  });

  it('stores one of ten identical posts sent at once without a key; the nine others name it', async () => {
    const body = words('Double, triple, tenfold click');
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(ada, { body })));
    const rows = await stored(body);
    expect(rows).toHaveLength(1);
    const created = answers.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(1);
    expect(json(created[0]!).comment.id).toBe(rows[0]!.id);
    const refused = answers.filter((r) => r.statusCode !== 201);
    expect(refused.map((r) => r.statusCode)).toEqual(Array(9).fill(409));
    for (const r of refused) expect(json(r).error).toEqual({ code: 'duplicate_comment', message: expect.any(String), commentId: rows[0]!.id });
  });

  it('stores one comment for ten posts sent at once with the same key, and gives each the same answer', async () => {
    const body = words('Retried by an eager client');
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(ada, { body }, 'concurrent-key-01')));
    const rows = await stored(body);
    expect(rows).toHaveLength(1);
    const created = answers.filter((r) => r.statusCode === 201);
    // Waiting for the first is what the author lock does; a 409 `request_in_progress` is allowed
    // only after a wait far longer than this test's posts take, so here every answer is the first.
    expect(created).toHaveLength(10);
    expect(new Set(created.map((r) => r.body)).size).toBe(1);
    expect(json(created[0]!).comment.id).toBe(rows[0]!.id);
    expect(created.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
  });

  it('refuses the same key with a different body (422) and stores nothing for it', async () => {
    const body = words('The first request');
    expect((await post(ada, { body }, 'reused-key-0001')).statusCode).toBe(201);
    const other = words('Something else entirely');
    const reused = await post(ada, { body: other }, 'reused-key-0001');
    expect(reused.statusCode, reused.body).toBe(422);
    expect(json(reused)).toEqual({ error: { code: 'idempotency_key_reused', message: expect.any(String) } });
    // Another parent or article is another request too.
    const asReply = await post(ada, { body, parentId: (await stored(body))[0]!.id }, 'reused-key-0001');
    expect(asReply.statusCode).toBe(422);
    expect(await stored(other)).toHaveLength(0);
    expect(await stored(body)).toHaveLength(1);
  });

  it("keeps keys per reader: one reader's key never answers for another", async () => {
    const body = words('Great minds think alike');
    const a = await post(ada, { body }, 'shared-key-00001');
    const b = await post(bob, { body }, 'shared-key-00001');
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(json(b).comment.author.name).toBe('Bob');
    expect(json(b).comment.id).not.toBe(json(a).comment.id);
    const aAgain = await post(ada, { body }, 'shared-key-00001');
    expect(aAgain.headers['idempotent-replayed']).toBe('true');
    expect(aAgain.body).toBe(a.body);
    expect((await stored(body)).map((r) => r.authorId).sort()).toHaveLength(2);
  });

  it('validates the key: 8 to 128 of [A-Za-z0-9_-]', async () => {
    for (const key of ['short', 'x'.repeat(129), 'has space in it', 'semi;colon;key', 'ünïcödé-key']) {
      const body = words('Badly keyed');
      const res = await post(ada, { body }, key);
      expect(res.statusCode, key).toBe(400);
      expect(json(res).error.code).toBe('validation');
      expect(await stored(body)).toHaveLength(0);
    }
    expect((await post(ada, { body: words('Well keyed') }, 'A'.repeat(128))).statusCode).toBe(201);
    expect((await post(ada, { body: words('Well keyed') }, 'aZ0_-aZ0')).statusCode).toBe(201);
  });

  it('forgets a key after a day, and prunes what has expired', async () => {
    const body = words('Said again the next day');
    const first = await post(ada, { body }, 'day-old-key-0001');
    p.clock.advance(25 * 3_600_000);
    const next = await post(ada, { body }, 'day-old-key-0001');
    expect(next.statusCode, next.body).toBe(201);
    expect(next.headers['idempotent-replayed']).toBeUndefined();
    expect(json(next).comment.id).not.toBe(json(first).comment.id);
    // The second answer replaced the expired one.
    expect((await post(ada, { body }, 'day-old-key-0001')).body).toBe(next.body);
    const pruned = await p.store.idempotency.prune(new Date(p.clock.now().getTime() - 24 * 3_600_000));
    expect(pruned).toBeGreaterThan(0);
    const left = await p.store.db.selectFrom('idempotency_keys').select('key').where('user_id', '=', adaId).execute();
    expect(left.map((r) => r.key)).toEqual(['day-old-key-0001']);
  });

  // SQLite runs one transaction at a time, so there a post simply waits its turn.
  it.runIf(dialect === 'postgres')("answers 409 request_in_progress, with Retry-After, when the author's earlier post holds on too long", async () => {
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const isLocked = new Promise<void>((r) => (locked = r));
    // An earlier post of Ada's, stuck inside its transaction.
    const earlier = p.store.transaction(async (tx) => {
      expect(await tx.idempotency.lockAuthorPosts(adaId, 1000)).toBe(true);
      locked();
      await held;
    });
    await isLocked;
    const body = words('Patience');
    const waited = await post(ada, { body }, 'in-progress-key-01');
    release();
    await earlier;
    expect(waited.statusCode, waited.body).toBe(409);
    expect(json(waited).error.code).toBe('request_in_progress');
    expect(waited.headers['retry-after']).toBe('1');
    // Nothing was stored or recorded: the retry posts.
    const retry = await post(ada, { body }, 'in-progress-key-01');
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await stored(body)).toHaveLength(1);
  });

  it("forgets a reader's recorded answers (they hold the words) when the account is deleted", async () => {
    await p.accounts.grant('cat@example.com', null);
    const cat = await p.signIn('cat@example.com');
    const catId = (await p.store.users.byEmail('cat@example.com'))!.id;
    expect((await post(cat, { body: words('Soon gone') }, 'erased-key-00001')).statusCode).toBe(201);
    const gone = await p.app.inject({
      method: 'DELETE',
      url: '/api/v1/me',
      headers: { cookie: cat.cookie, 'x-csrf-token': cat.csrf },
      payload: { eraseComments: true },
    });
    expect(gone.statusCode, gone.body).toBeLessThan(300);
    expect(await p.store.db.selectFrom('idempotency_keys').select('key').where('user_id', '=', catId).execute()).toHaveLength(0);
  });

  it('records nothing for a refused post: the retry is judged afresh', async () => {
    const body = words('Closed for now');
    const closedId = (await p.store.articles.bySlug('closed-thread'))!.id;
    const refused = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${closedId}/comments`,
      headers: { cookie: ada.cookie, 'x-csrf-token': ada.csrf, 'idempotency-key': 'refused-key-0001' },
      payload: { body },
    });
    expect(refused.statusCode).toBe(403);
    expect(await p.store.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'refused-key-0001').execute()).toHaveLength(0);
  });
});
