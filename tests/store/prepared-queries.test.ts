import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Prepared, prepare } from '../../src/store/prepared.js';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('prepared queries on %s', (dialect) => {
  const f = useStore(dialect);

  it('builds a query once and answers each call with its own values, as the builder would', async () => {
    const { db } = f.conn;
    const carol = (await f.store.users.ensure('carol@example.com', 'Carol', now)).id;
    let builds = 0;
    const byAuthor = prepare<{ author: number; limit: number }>()((db, p) => {
      builds++;
      return db.selectFrom('users').select(['id', 'display_name']).where('id', '>=', p.author).orderBy('id').limit(p.limit);
    });
    const plain = (author: number, limit: number) =>
      db.selectFrom('users').select(['id', 'display_name']).where('id', '>=', author).orderBy('id').limit(limit).execute();
    for (const [author, limit] of [
      [f.alice, 1],
      [f.bob, 5],
      [carol, 5],
      [f.alice, 3],
    ] as const) {
      expect(await byAuthor.rows(db, { author, limit })).toEqual(await plain(author, limit));
    }
    expect(builds).toBe(1);
  });

  it('runs on the handle it is given (a transaction too), raw SQL included', async () => {
    const named = prepare<{ name: string }>()((_db, p) => sql<{ n: number }>`select count(*) as n from users where display_name = ${p.name}`);
    const count = async (db: typeof f.conn.db) => Number((await named.rows(db, { name: 'Dora' }))[0]!.n);
    await expect(
      f.conn.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('users')
          .values({
            email: 'dora@example.com',
            display_name: 'Dora',
            role: 'reader',
            created_at: now.getTime(),
            suspended_until: null,
            banned: 0,
            notify_token: null,
          })
          .execute();
        expect(await count(trx)).toBe(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await count(f.conn.db)).toBe(0);
  });

  it('gives the one row a write returns, and an error when it returns none', async () => {
    const rename = prepare<{ id: number; name: string }>()((db, p) =>
      db.updateTable('users').set({ display_name: p.name }).where('id', '=', p.id).returning(['id', 'display_name']),
    );
    expect(await rename.one(f.conn.db, { id: f.bob, name: 'Robert' })).toEqual({ id: f.bob, display_name: 'Robert' });
    await expect(rename.one(f.conn.db, { id: -1, name: 'Nobody' })).rejects.toThrow(/no row returned/);
  });

  it('refuses a builder that computes with a value or writes it into the SQL, and a call that lacks one', () => {
    const { db } = f.conn;
    const computes = prepare<{ n: number }>()((db, p) =>
      db
        .selectFrom('users')
        .select('id')
        .limit(p.n + 1),
    );
    expect(() => computes.query(db, { n: 1 })).toThrow(/may only be passed to the builder/);
    const written = new Prepared<{ name: string }, unknown>((_db, p) => sql.raw(`select id from users where display_name = '${p.name}'`));
    expect(() => written.query(db, { name: 'x' })).toThrow(/may only be passed to the builder/);
    const twoValues = prepare<{ a: number; b: number }>()((db, p) => db.selectFrom('users').select('id').where('id', '=', p.a).where('id', '=', p.b));
    expect(() => twoValues.query(db, { a: 1 } as { a: number; b: number })).toThrow(/no value for b/);
  });
});
