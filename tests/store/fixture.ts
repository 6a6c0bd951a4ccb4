import { afterAll, beforeAll } from 'vitest';
import { connect, type Connection } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import type { Dialect } from '../../src/store/connect.js';
import { Store, type NewComment, blankArticle } from '../../src/store/store.js';
import { freshDatabase } from '../support/databases.js';

export const now = new Date('2026-11-20T12:00:00Z');

export interface StoreFixture {
  store: Store;
  conn: Connection;
  /** What `migrate` answered on the fresh database. */
  migrated: string[];
  articleId: number;
  alice: number;
  bob: number;
  newComment: (over?: Partial<NewComment>) => NewComment;
}

/**
 * A migrated database of its own for one describe block, with an article and two readers
 * (Alice, Bob); dropped after the block. The fields are filled in by `beforeAll`.
 */
export function useStore(dialect: Dialect): StoreFixture {
  const f = {} as StoreFixture;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const db = await freshDatabase(dialect);
    drop = db.drop;
    f.conn = connect(db.url);
    f.migrated = await migrate(f.conn);
    f.store = new Store(f.conn.db, f.conn.dialect);
    f.articleId = (await f.store.articles.upsert(blankArticle({ slug: 's', title: 'T', publishedAt: now, body: 'b' }), now)).id;
    f.alice = (await f.store.users.ensure('Alice@Example.com', 'Alice', now)).id;
    f.bob = (await f.store.users.ensure('bob@example.com', 'Bob', now)).id;
    f.newComment = (over = {}) => ({
      articleId: f.articleId,
      parentId: null,
      rootId: null,
      depth: 0,
      authorId: f.alice,
      bodySrc: 'x',
      bodyHtml: '<p>x</p>',
      status: 'visible',
      createdAt: now,
      ...over,
    });
  });
  afterAll(async () => {
    await f.conn?.close();
    await drop?.();
  });
  return f;
}
