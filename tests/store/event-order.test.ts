import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { Store, blankArticle } from '../../src/store/store.js';
import { freshDatabase } from '../support/databases.js';

/*
 * Issue 11, fault 3, shown deterministically: with ids from a sequence, a transaction that took
 * id 2 could commit while the one holding id 1 was still open, and a live reader that saw 2 moved
 * past 1 for good. Event ids are now taken under the article's row lock, so the second event
 * cannot commit (and is not visible) until the first has.
 */
describe('event ids follow commit order on postgres', () => {
  let conn: Connection;
  let store: Store;
  let drop: () => Promise<void>;
  let articleId: number;
  const now = new Date('2026-11-20T12:00:00Z');

  beforeAll(async () => {
    const db = await freshDatabase('postgres');
    drop = db.drop;
    conn = connect(db.url);
    await migrate(conn);
    store = new Store(conn.db, conn.dialect);
    articleId = (await store.articles.upsert(blankArticle({ slug: 'order', title: 'T', publishedAt: now, body: 'b' }), now)).id;
  });
  afterAll(async () => {
    await conn?.close();
    await drop?.();
  });

  it('never shows a later event before an earlier one has committed', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstAppended!: () => void;
    const appended = new Promise<void>((r) => (firstAppended = r));
    const first = store.transaction(async (tx) => {
      const id = await tx.events.append(articleId, 'comment.created', 101, now);
      firstAppended();
      await held;
      return id;
    });
    await appended;
    const second = store.transaction((tx) => tx.events.append(articleId, 'comment.created', 102, now));
    await new Promise((r) => setTimeout(r, 300));
    // What a live reader would read now: nothing, rather than the later event alone.
    expect(await store.events.since(articleId, 0, 10)).toEqual([]);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBeGreaterThan(a);
    expect((await store.events.since(articleId, 0, 10)).map((e) => e.commentId)).toEqual([101, 102]);
  });
});
