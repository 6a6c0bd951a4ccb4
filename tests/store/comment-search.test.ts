import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { parseTerms, type SearchFilters } from '../../src/domain/comment-search.js';
import { migrate } from '../../src/store/migrate.js';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

const words = (q: string): SearchFilters => ({
  terms: parseTerms(q),
  authorId: null,
  author: null,
  articleId: null,
  article: null,
  status: null,
  from: null,
  to: null,
  reports: null,
});

describe.each(DIALECTS)('comment search storage on %s', (dialect) => {
  const f = useStore(dialect);

  it('indexes the comments a database already had when migration 015 runs', async () => {
    const { store, conn } = f;
    const before = await store.comments.insert(f.newComment({ bodySrc: 'Written before the index: cormorants nesting.' }));
    // Undo 015 as if it had never run, then run it over the comments already there.
    if (dialect === 'sqlite') {
      for (const t of ['comments_fts_insert', 'comments_fts_delete', 'comments_fts_update']) await sql`drop trigger ${sql.id(t)}`.execute(conn.db);
      await sql`drop table comments_fts`.execute(conn.db);
    } else await sql`drop index comments_search`.execute(conn.db);
    await sql`drop index comments_created`.execute(conn.db);
    await sql`drop index reports_reporter`.execute(conn.db);
    await sql`delete from kysely_migration where name = '015_comment_search'`.execute(conn.db);
    expect(await migrate(conn)).toEqual(['015_comment_search']);

    const found = await store.search.page(words('cormorant nest'), null, 10);
    expect(found.total).toBe(1);
    expect(found.rows.map((r) => r.id)).toEqual([before]);
    // And keeps up afterwards.
    await store.comments.edit(before, 'Now about gannets.', '<p>Now about gannets.</p>', f.alice, now);
    expect((await store.search.page(words('cormorant'), null, 10)).total).toBe(0);
    expect((await store.search.page(words('gannet'), null, 10)).total).toBe(1);
  });

  it('forgets a comment whose row is deleted', async () => {
    const { store, conn } = f;
    const c = await store.comments.insert(f.newComment({ bodySrc: 'A shearwater over the waves.' }));
    expect((await store.search.page(words('shearwater'), null, 10)).rows.map((r) => r.id)).toEqual([c]);
    await sql`delete from comment_revisions where comment_id = ${c}`.execute(conn.db);
    await sql`delete from comments where id = ${c}`.execute(conn.db);
    expect((await store.search.page(words('shearwater'), null, 10)).total).toBe(0);
    if (dialect === 'sqlite') {
      // The FTS5 index agrees with its content table (integrity-check fails on any drift).
      await sql`insert into comments_fts(comments_fts) values ('integrity-check')`.execute(conn.db);
    }
  });
});
