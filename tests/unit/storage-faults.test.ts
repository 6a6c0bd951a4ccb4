import { writeFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/store/connect.js';
import { storageFault } from '../../src/store/faults.js';
import { migrate } from '../../src/store/migrate.js';
import { Store } from '../../src/store/store.js';
import { freshDatabase } from '../support/databases.js';

/** A real SQLITE_FULL: the database may not grow past its current size. */
function sqliteFullError(): unknown {
  const db = new SQLite(':memory:');
  db.exec('CREATE TABLE t (v TEXT)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  try {
    db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000));
  } catch (err) {
    return err;
  } finally {
    db.close();
  }
  throw new Error('the insert was expected to fail');
}

/** A real ENOSPC: /dev/full refuses every write. */
function enospcError(): unknown {
  try {
    writeFileSync('/dev/full', 'x');
  } catch (err) {
    return err;
  }
  throw new Error('writing /dev/full was expected to fail');
}

function pgError(code: string): Error {
  const e = new pg.DatabaseError('could not extend file "base/16384/16385": No space left on device', 0, 'error');
  e.code = code;
  return e;
}

describe('storageFault', () => {
  it('recognises a full disk from SQLite, the file system and PostgreSQL', () => {
    expect((sqliteFullError() as { code: string }).code).toBe('SQLITE_FULL');
    expect(storageFault(sqliteFullError())).toBe('full');
    expect((enospcError() as { code: string }).code).toBe('ENOSPC');
    expect(storageFault(enospcError())).toBe('full');
    expect(storageFault(pgError('53100'))).toBe('full');
    // On a full disk SQLite may report a short write or a failed shared-memory resize instead.
    expect(storageFault(new SQLite.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE'))).toBe('full');
    expect(storageFault(new SQLite.SqliteError('disk I/O error', 'SQLITE_IOERR_SHMSIZE'))).toBe('full');
  });

  it('finds the fault behind a wrapping error', () => {
    expect(storageFault(new Error('import failed', { cause: sqliteFullError() }))).toBe('full');
  });

  it('leaves every other error alone', () => {
    expect(storageFault(new SQLite.SqliteError('UNIQUE constraint failed: users.email', 'SQLITE_CONSTRAINT_UNIQUE'))).toBeNull();
    expect(storageFault(pgError('23505'))).toBeNull();
    expect(storageFault(new Error('database or disk is full'))).toBeNull();
    expect(storageFault(Object.assign(new Error('x'), { code: 42 }))).toBeNull();
    for (const v of [undefined, null, 'SQLITE_FULL', 53100, {}]) expect(storageFault(v)).toBeNull();
  });
});

describe('Store.transaction on a full SQLite database', () => {
  it('fails with the disk-full error, not with the rollback that follows it, and the store goes on working', async () => {
    const db = await freshDatabase('sqlite');
    const conn = connect(db.url);
    try {
      await migrate(conn);
      const store = new Store(conn.db, conn.dialect);
      const now = new Date();
      await store.users.ensure('first@example.com', 'First', now);
      const pages = Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(conn.db)).rows[0]!.page_count);
      await sql.raw(`PRAGMA max_page_count = ${pages}`).execute(conn.db);
      const err = await store
        .transaction(async (tx) => {
          for (let i = 0; i < 200; i++) await tx.users.ensure(`u${i}@example.com`, 'x'.repeat(2000), now);
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ code: 'SQLITE_FULL' });
      expect(storageFault(err)).toBe('full');
      // The connection came back: reads work, and writes do once there is room.
      expect(await store.users.byEmail('u0@example.com')).toBeNull();
      await sql.raw(`PRAGMA max_page_count = ${pages * 100}`).execute(conn.db);
      await store.transaction((tx) => tx.users.ensure('later@example.com', 'Later', now));
      expect(await store.users.byEmail('later@example.com')).not.toBeNull();
    } finally {
      await conn.close();
      await db.drop();
    }
  });
});
