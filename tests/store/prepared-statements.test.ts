import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { Store } from '../../src/store/store.js';
import { freshDatabase } from '../support/databases.js';

/*
 * Repeated statements are prepared once per connection (store/statement-names.ts). A prepared
 * `select *` fails once another node's migration changes its table ("cached plan must not change
 * result type"): the node must answer anyway, in and out of transactions.
 */
describe('prepared statements on postgres', () => {
  let url: string;
  let drop: () => Promise<void>;
  const opened: Connection[] = [];
  const open = (preparedStatements?: boolean) => {
    // One connection, so what one query prepared the next one finds.
    const conn = connect(url, { poolSize: 1, preparedStatements });
    opened.push(conn);
    return conn;
  };
  const prepared = async (conn: Connection) =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(conn.db)).rows.map((r) => r.statement);
  /** Changes a table's shape from another session, as another node's migration would. */
  const migrateElsewhere = async (ddl: string) => {
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query(ddl);
    } finally {
      await other.end();
    }
  };

  beforeAll(async () => {
    ({ url, drop } = await freshDatabase('postgres'));
    const conn = connect(url);
    await migrate(conn);
    await sql`create table shapes (a int not null)`.execute(conn.db);
    await sql`insert into shapes values (1), (2)`.execute(conn.db);
    await conn.close();
  });
  afterAll(async () => {
    for (const c of opened) await c.close().catch(() => {});
    await drop?.();
  });

  it('prepares a statement on its second use and runs it by name after', async () => {
    const conn = open();
    const query = (a: number) => sql<{ a: number }>`select a from shapes where a = ${a}`.execute(conn.db);
    expect((await query(1)).rows).toEqual([{ a: 1 }]);
    expect(await prepared(conn)).not.toContain('select a from shapes where a = $1');
    expect((await query(2)).rows).toEqual([{ a: 2 }]);
    expect(await prepared(conn)).toContain('select a from shapes where a = $1');
    expect((await query(1)).rows).toEqual([{ a: 1 }]);
  });

  it('prepares nothing when told not to', async () => {
    const conn = open(false);
    for (const a of [1, 2, 1]) await sql`select a from shapes where a = ${a}`.execute(conn.db);
    expect(await prepared(conn)).toEqual([]);
  });

  it("answers a prepared select * after another node's migration changed its table", async () => {
    const conn = open();
    const query = () => sql<Record<string, number>>`select * from shapes where a = ${1}`.execute(conn.db);
    await query();
    await query();
    expect(await prepared(conn)).toContain('select * from shapes where a = $1');
    await migrateElsewhere('alter table shapes add column b int');
    expect((await query()).rows).toEqual([{ a: 1, b: null }]);
    expect((await query()).rows).toEqual([{ a: 1, b: null }]);
  });

  it('runs a transaction again whole when its prepared statement went stale', async () => {
    const conn = open();
    const store = new Store(conn.db, conn.dialect);
    let runs = 0;
    const write = (value: number) =>
      store.transaction(async (tx) => {
        runs++;
        await sql`insert into shapes (a) values (${value})`.execute(tx.db);
        return (await sql<Record<string, number>>`select * from shapes where a = ${value}`.execute(tx.db)).rows;
      });
    await write(10);
    await write(11);
    expect(await prepared(conn)).toContain('select * from shapes where a = $1');
    await migrateElsewhere('alter table shapes add column c int');
    runs = 0;
    expect(await write(12)).toEqual([{ a: 12, b: null, c: null }]);
    // The first run failed on the stale statement and took its insert back with it.
    expect(runs).toBe(2);
    expect((await sql<{ n: number }>`select count(*)::int as n from shapes where a = 12`.execute(conn.db)).rows).toEqual([{ n: 1 }]);
  });
});
