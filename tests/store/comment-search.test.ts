import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { parseTerms, type SearchFilters } from '../../src/domain/comment-search.js';
import { migrate } from '../../src/store/migrate.js';
import type { Store } from '../../src/store/store.js';
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
  describe('a batch of posts (store.grouped)', () => {
    // A database of its own: the test above put migration 015's triggers back.
    const f = useStore(dialect);
    const post = (tx: Store, bodySrc: string) => tx.comments.post(f.newComment({ bodySrc }), { author: 'Alice', replyTo: null });
    const found = async (q: string) => (await f.store.search.page(words(q), null, 10)).rows.map((r) => r.id);
    /** The FTS5 index agrees with its content table: integrity-check fails on any drift. */
    const indexWhole = async () => {
      if (dialect === 'sqlite') await sql`insert into comments_fts(comments_fts, rank) values ('integrity-check', 1)`.execute(f.conn.db);
    };

    it('is found once it commits, indexed in one statement at its end on SQLite', async () => {
      const inBatch: number[] = [];
      const ids = await Promise.all(
        ['A petrel at dusk.', 'Two petrels at dawn.', 'A fulmar, not a petrel.'].map((text) =>
          f.store.grouped(f.articleId, async (tx) => {
            const { comment } = await post(tx, text);
            // What the words index holds of it before the batch ends.
            const { rows } = await sql<{ n: number }>`select count(*) as n from comments where id = ${comment.id} and ${
              dialect === 'sqlite'
                ? sql`id in (select rowid from comments_fts where comments_fts match 'petrel')`
                : sql`to_tsvector('english'::regconfig, body_src) @@ plainto_tsquery('english', 'petrel')`
            }`.execute(tx.db);
            inBatch.push(Number(rows[0]!.n));
            return comment.id;
          }),
        ),
      );
      expect(inBatch).toEqual(dialect === 'sqlite' ? [0, 0, 0] : [1, 1, 1]);
      expect((await found('petrel')).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      await indexWhole();
      if (dialect === 'sqlite') expect((await sql`select * from comments_fts_deferred`.execute(f.conn.db)).rows).toEqual([]);
    });

    it('indexes a comment edited or deleted in the batch that posted it as it stands at the end', async () => {
      const kept = await f.store.grouped(f.articleId, async (tx) => {
        const { comment: edited } = await post(tx, 'An albatross, first draft.');
        await tx.comments.edit(edited.id, 'A skua, second draft.', '<p>A skua, second draft.</p>', f.alice, now);
        const { comment: gone } = await post(tx, 'A puffin that will not stay.');
        await sql`delete from comment_revisions where comment_id = ${gone.id}`.execute(tx.db);
        await sql`delete from comments where id = ${gone.id}`.execute(tx.db);
        return edited.id;
      });
      expect(await found('albatross')).toEqual([]);
      expect(await found('skua')).toEqual([kept]);
      expect(await found('puffin')).toEqual([]);
      await indexWhole();
    });

    it('indexes the writes of a batch run again one by one after one of them failed', async () => {
      const results = await Promise.allSettled(
        ['A kittiwake diving.', 'A refused kittiwake.', 'Another kittiwake diving.'].map((text) =>
          f.store.grouped(f.articleId, async (tx) => {
            const { comment } = await post(tx, text);
            if (text.includes('refused')) throw new Error('refused');
            return comment.id;
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const ids = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect((await found('kittiwake')).sort((a, b) => a - b)).toEqual(ids.sort((a, b) => a - b));
      await indexWhole();
    });
  });
});
