import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/schema.js';
import { blankArticle, Store } from '../../src/store/store.js';

/*
 * The queries a page is made of, as SQLite plans them with no statistics (nothing runs ANALYZE):
 * each must walk the index of its own order. With the page's watermark (`comments.id <= ?`)
 * open to it, SQLite took comments_article (article_id, id) instead and sorted every comment of
 * the article: 430–600 ms for a 1,000,000-comment thread's first page, whatever its sort. The
 * plan, not a timing, is what this checks.
 */
describe('page queries on SQLite use the index of their order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-plans-'));
  const file = join(dir, 'plans.db');
  let raw: SQLite.Database;
  let db: Kysely<Database>;
  let store: Store;
  let articleId: number;
  const seen: CompiledQuery[] = [];

  beforeAll(async () => {
    const conn = connect(file);
    await migrate(conn);
    await conn.close();
    raw = new SQLite(file);
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: raw }),
      log: (e) => {
        if (e.level === 'query') seen.push(e.query);
      },
    });
    store = new Store(db, 'sqlite');
    const now = new Date();
    articleId = (await store.articles.upsert(blankArticle({ slug: 'plans', title: 'Plans', publishedAt: now }), now)).id;
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** SQLite's plan for the last query `run` sent, one line per step. */
  async function planOf(run: () => Promise<unknown>): Promise<string> {
    seen.length = 0;
    await run();
    const q = seen.at(-1)!;
    const rows = raw.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[];
    return rows.map((r) => r.detail).join('\n');
  }

  it.each([
    ['top', 'comments_top_rank'],
    ['newest', 'comments_top_time'],
    ['oldest', 'comments_top_time'],
  ] as const)('a page of top-level comments, %s first, for guests and for a reader', async (sort, index) => {
    for (const viewerId of [null, 1]) {
      const plan = await planOf(() => store.comments.topLevel({ articleId, sort, maxId: 1000, after: null, limit: 21, viewerId }));
      expect(plan).toContain(`SEARCH comments USING INDEX ${index} (article_id=? AND depth=?)`);
      // A deleted comment's replies are looked for in its thread, not among all visible comments.
      expect(plan).toContain('SEARCH r USING INDEX comments_thread_time (root_id=?)');
      expect(plan).not.toMatch(/comments_article|comments_status|TEMP B-TREE/);
    }
  });

  it('the pinned comments and the editors’ picks', async () => {
    const pinned = await planOf(() => store.comments.pinnedTopLevel(articleId, 1000, null));
    expect(pinned).toContain('SEARCH comments USING INDEX comments_pinned (article_id=?)');
    const picks = await planOf(() => store.comments.featured({ articleId, maxId: 1000, after: null, limit: 10 }));
    expect(picks).toContain('SEARCH comments USING INDEX comments_featured (article_id=?');
    for (const plan of [pinned, picks]) expect(plan).not.toMatch(/comments_article|comments_status/);
  });

  // Asked on every signed-in page. On the author's index it read each of the reader's comments:
  // 0.44 s a view for a reader with 1,000,000 comments in the thread.
  it('whether the reader has comments awaiting moderation', async () => {
    const facts = await planOf(() => store.readerFacts.of(1, articleId, [1, 2]));
    const probe = await planOf(() => store.comments.pendingBy(1, articleId, 5));
    for (const plan of [facts, probe]) {
      expect(plan).toContain('INDEX comments_pending_by_author (author_id=? AND article_id=?)');
      expect(plan).not.toMatch(/comments_author\b/);
    }
  });
});
