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
    articleId = (await store.upsertArticle({ slug: 's', url: null, title: 'T', standfirst: '', author: '', authorBio: '', authorHandle: '', image: null, imageCredit: '', publishedAt: now, body: 'b', commentPolicy: 'subscribers' }, now)).id;
    alice = (await store.ensureUser('Alice@Example.com', 'Alice', now)).id;
    bob = (await store.ensureUser('bob@example.com', 'Bob', now)).id;
  });
  afterAll(async () => {
    await conn?.close();
    await drop?.();
  });

  it('finds users by email case-insensitively and creates each once under concurrency', async () => {
    expect((await store.userByEmail('ALICE@example.com'))?.id).toBe(alice);
    const many = await Promise.all(Array.from({ length: 8 }, () => store.ensureUser('race@example.com', 'Race', now)));
    expect(new Set(many.map((u) => u.id)).size).toBe(1);
  });

  it('keeps counters in step with the rows that move them', async () => {
    const root = await store.insertComment(newComment());
    const reply = await store.insertComment(newComment({ parentId: root, rootId: root, depth: 1, authorId: bob }));
    await store.insertComment(newComment({ parentId: reply, rootId: root, depth: 2, status: 'pending' }));
    expect((await store.commentById(root))!.replyCount).toBe(1);
    expect((await store.articleById(articleId))!.commentCount).toBe(2);
    expect((await store.commentById(reply))!.replyToName).toBe('Alice');
    await store.deleteComment((await store.commentById(reply))!, now);
    expect((await store.articleById(articleId))!.commentCount).toBe(1);
    // A deleted reply keeps its place in the thread.
    expect((await store.commentById(root))!.replyCount).toBe(1);
    // Reloading the article from its file keeps the discussion's count.
    await store.upsertArticle({ slug: 's', url: null, title: 'T2', standfirst: '', author: '', authorBio: '', authorHandle: '', image: null, imageCredit: '', publishedAt: now, body: 'b', commentPolicy: 'subscribers' }, now);
    expect((await store.articleById(articleId))!.commentCount).toBe(1);
  });

  it('keeps one vote per reader and comment through concurrent changes', async () => {
    const c = await store.insertComment(newComment());
    await Promise.all([1, 1, -1, 1, 1].map((v) => store.transaction((tx) => tx.setVote(c, bob, v as 1 | -1, now))));
    const row = (await store.commentById(c))!;
    expect(Math.abs(row.score)).toBe(1);
    expect(row.up + row.down).toBe(1);
    expect(await store.voteOf(c, bob)).toBe(row.score);
    await store.transaction((tx) => tx.setVote(c, bob, 0, now));
    expect((await store.commentById(c))!).toMatchObject({ up: 0, down: 0, score: 0 });
  });

  it('spends a sign-in token once, and never after it expires', async () => {
    await store.createLoginToken('h1', 'a@b.c', '/', now, new Date(now.getTime() + 60_000));
    const results = await Promise.all([store.consumeLoginToken('h1', now), store.consumeLoginToken('h1', now)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await store.createLoginToken('h2', 'a@b.c', '/', now, new Date(now.getTime() + 60_000));
    expect(await store.consumeLoginToken('h2', new Date(now.getTime() + 120_000))).toBeNull();
  });

  it('records every revision in order', async () => {
    const c = await store.insertComment(newComment({ bodySrc: 'one' }));
    await store.editComment(c, 'two', '<p>two</p>', alice, now);
    await store.editComment(c, 'three', '<p>three</p>', bob, now);
    expect((await store.revisionsOf(c)).map((r) => [r.bodySrc, r.editorId])).toEqual([['one', alice], ['two', alice], ['three', bob]]);
    expect((await store.commentById(c))!.editedByName).toBe('Bob');
  });

  it('sessions expire', async () => {
    await store.createSession('sh', alice, 'csrf', now, new Date(now.getTime() + 1000));
    expect((await store.sessionByHash('sh', now))?.user.id).toBe(alice);
    expect(await store.sessionByHash('sh', new Date(now.getTime() + 2000))).toBeNull();
  });
});
