import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { Store, type NewComment } from '../../src/store/store.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';

describe.each(DIALECTS)('store on %s', (dialect) => {
  let conn: Connection;
  let store: Store;
  let drop: () => Promise<void>;
  let articleId: number;
  let alice: number;
  let bob: number;
  const now = new Date('2026-11-20T12:00:00Z');
  const newComment = (over: Partial<NewComment> = {}): NewComment => ({
    articleId, parentId: null, rootId: null, depth: 0, authorId: alice, bodySrc: 'x', bodyHtml: '<p>x</p>', status: 'visible', createdAt: now, ...over,
  });

  beforeAll(async () => {
    const db = await freshDatabase(dialect);
    drop = db.drop;
    conn = connect(db.url);
    expect((await migrate(conn)).slice(0, 3)).toEqual(['001_core', '002_events', '003_notifications']);
    expect(await migrate(conn)).toEqual([]);
    store = new Store(conn.db, conn.dialect);
    articleId = (await store.articles.upsert({ slug: 's', url: null, title: 'T', standfirst: '', author: '', authorBio: '', authorHandle: '', image: null, imageCredit: '', publishedAt: now, body: 'b', commentPolicy: 'subscribers' }, now)).id;
    alice = (await store.users.ensure('Alice@Example.com', 'Alice', now)).id;
    bob = (await store.users.ensure('bob@example.com', 'Bob', now)).id;
  });
  afterAll(async () => {
    await conn?.close();
    await drop?.();
  });

  it('finds users by email case-insensitively and creates each once under concurrency', async () => {
    expect((await store.users.byEmail('ALICE@example.com'))?.id).toBe(alice);
    const many = await Promise.all(Array.from({ length: 8 }, () => store.users.ensure('race@example.com', 'Race', now)));
    expect(new Set(many.map((u) => u.id)).size).toBe(1);
  });

  it('keeps counters in step with the rows that move them', async () => {
    const root = await store.comments.insert(newComment());
    const reply = await store.comments.insert(newComment({ parentId: root, rootId: root, depth: 1, authorId: bob }));
    await store.comments.insert(newComment({ parentId: reply, rootId: root, depth: 2, status: 'pending' }));
    expect((await store.comments.byId(root))!.replyCount).toBe(1);
    expect((await store.articles.byId(articleId))!.commentCount).toBe(2);
    expect((await store.comments.byId(reply))!.replyToName).toBe('Alice');
    await store.comments.delete((await store.comments.byId(reply))!, now);
    expect((await store.articles.byId(articleId))!.commentCount).toBe(1);
    // A deleted reply keeps its place in the thread.
    expect((await store.comments.byId(root))!.replyCount).toBe(1);
    // Reloading the article from its file keeps the discussion's count.
    await store.articles.upsert({ slug: 's', url: null, title: 'T2', standfirst: '', author: '', authorBio: '', authorHandle: '', image: null, imageCredit: '', publishedAt: now, body: 'b', commentPolicy: 'subscribers' }, now);
    expect((await store.articles.byId(articleId))!.commentCount).toBe(1);
  });

  it('keeps one vote per reader and comment through concurrent changes', async () => {
    const c = await store.comments.insert(newComment());
    await Promise.all([1, 1, -1, 1, 1].map((v) => store.transaction((tx) => tx.votes.set(c, bob, v as 1 | -1, now))));
    const row = (await store.comments.byId(c))!;
    expect(Math.abs(row.score)).toBe(1);
    expect(row.up + row.down).toBe(1);
    expect(await store.votes.of(c, bob)).toBe(row.score);
    await store.transaction((tx) => tx.votes.set(c, bob, 0, now));
    expect((await store.comments.byId(c))!).toMatchObject({ up: 0, down: 0, score: 0 });
  });

  it('spends a sign-in token once, and never after it expires', async () => {
    await store.users.createLoginToken('h1', 'a@b.c', '/', now, new Date(now.getTime() + 60_000));
    const results = await Promise.all([store.users.consumeLoginToken('h1', now), store.users.consumeLoginToken('h1', now)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await store.users.createLoginToken('h2', 'a@b.c', '/', now, new Date(now.getTime() + 60_000));
    expect(await store.users.consumeLoginToken('h2', new Date(now.getTime() + 120_000))).toBeNull();
  });

  it('records every revision in order', async () => {
    const c = await store.comments.insert(newComment({ bodySrc: 'one' }));
    await store.comments.edit(c, 'two', '<p>two</p>', alice, now);
    await store.comments.edit(c, 'three', '<p>three</p>', bob, now);
    expect((await store.comments.revisionsOf(c)).map((r) => [r.bodySrc, r.editorId])).toEqual([['one', alice], ['two', alice], ['three', bob]]);
    expect((await store.comments.byId(c))!.editedByName).toBe('Bob');
  });

  it('sessions expire', async () => {
    await store.users.createSession('sh', alice, 'csrf', now, new Date(now.getTime() + 1000));
    expect((await store.users.sessionByHash('sh', now))?.user.id).toBe(alice);
    expect(await store.users.sessionByHash('sh', new Date(now.getTime() + 2000))).toBeNull();
  });
});
