import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { messages } from '../messages.js';
import { connect, dialectOf } from '../store/connect.js';
import { migrate } from '../store/migrate.js';

/** A refusal the command line prints as it is (exit status 1), not as a crash. */
export class BackupRefused extends Error {}

const sqliteFile = (url: string) => url.replace(/^sqlite:(\/\/)?/, '');

function sqliteOnly(databaseUrl: string, command: 'backup' | 'restore'): string {
  if (dialectOf(databaseUrl) === 'postgres') throw new BackupRefused(messages.operations.postgresBackup(command));
  const file = sqliteFile(databaseUrl);
  if (file === ':memory:') throw new BackupRefused(messages.operations.memoryDatabase);
  return file;
}

/**
 * Copies every page of `source` into the file `target` with SQLite's online backup API.
 * SQLite restarts a backup whenever another connection (here: the running server) writes between
 * two steps, so a copy made 100 pages at a time might never finish under steady posting. One step
 * that copies every page reads a single WAL snapshot instead: consistent, never restarted, and
 * the server keeps writing meanwhile (WAL readers do not block the writer).
 */
async function copyAllPages(source: SQLite.Database, target: string): Promise<number> {
  const done = await source.backup(target, { progress: () => 0x7fffffff });
  return done.totalPages;
}

function integrity(file: string): string {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

const tableCounts = (db: SQLite.Database) => {
  const has = (t: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
  const count = (t: string) => (has(t) ? (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n : 0);
  return { articles: count('articles'), comments: count('comments'), users: count('users') };
};

export interface BackupResult {
  file: string;
  pages: number;
  bytes: number;
  counts: { articles: number; comments: number; users: number };
  seconds: number;
}

/**
 * `parley backup FILE`: a consistent copy of the live SQLite database, taken while the server runs.
 * The copy is written beside FILE under a temporary name, checked, and only then renamed onto
 * FILE, so an interrupted backup never leaves a half-written file where the last good one was.
 */
export async function backupSqlite(databaseUrl: string, file: string): Promise<BackupResult> {
  const started = performance.now();
  const source = sqliteOnly(databaseUrl, 'backup');
  if (!existsSync(source)) throw new BackupRefused(messages.operations.noDatabase(source));
  const target = resolve(file);
  if (!existsSync(dirname(target))) throw new BackupRefused(messages.operations.noDirectory(dirname(target)));
  if (existsSync(target) && realpathSync(target) === realpathSync(source)) throw new BackupRefused(messages.operations.sameFile);
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  const removePartial = () => ['', '-wal', '-shm', '-journal'].forEach((s) => rmSync(partial + s, { force: true }));
  removePartial();
  const db = new SQLite(source, { fileMustExist: true });
  try {
    // The server may hold the write lock for a moment; wait for it rather than fail.
    db.pragma('busy_timeout = 5000');
    const pages = await copyAllPages(db, partial);
    // The copy carries the live database's WAL flag; as a rollback-journal file it is one
    // self-contained file to move, upload or open, with no -wal/-shm beside it.
    const copy = new SQLite(partial);
    copy.pragma('journal_mode = DELETE');
    const counts = tableCounts(copy);
    copy.close();
    const check = integrity(partial);
    if (check !== 'ok') throw new BackupRefused(messages.operations.backupCorrupt(check));
    renameSync(partial, target);
    return { file: target, pages, bytes: statSync(target).size, counts, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    removePartial();
    throw err;
  } finally {
    db.close();
  }
}

export interface RestoreResult {
  target: string;
  counts: { articles: number; comments: number; users: number };
  migrated: string[];
  seconds: number;
}

/** Empty: no file, a zero-length file, or no users, articles or comments (as `import parley` judges). */
function isEmptyDatabase(file: string): boolean {
  if (!existsSync(file) || statSync(file).size === 0) return true;
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const c = tableCounts(db);
    return c.articles + c.comments + c.users === 0;
  } finally {
    db.close();
  }
}

/**
 * `parley restore FILE`: puts a backup in place of the configured SQLite database. The backup is
 * checked first (integrity, and that it is a Parley database); the copy goes through SQLite's
 * backup API into the target, so the target's own WAL and shared-memory files are dealt with by
 * SQLite rather than left beside a replaced file, where they would corrupt it. Then the schema is
 * brought up to date, so a backup from an older release works with this one.
 */
export async function restoreSqlite(databaseUrl: string, file: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  const started = performance.now();
  const target = sqliteOnly(databaseUrl, 'restore');
  if (!existsSync(file)) throw new BackupRefused(messages.operations.noBackup(file));
  if (existsSync(target) && realpathSync(target) === realpathSync(file)) throw new BackupRefused(messages.operations.sameFile);
  let check: string;
  try {
    check = integrity(file);
  } catch (err) {
    throw new BackupRefused(messages.operations.notABackup(file, (err as Error).message));
  }
  if (check !== 'ok') throw new BackupRefused(messages.operations.backupCorrupt(check));
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const parley = source.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
    if (!parley) throw new BackupRefused(messages.operations.notABackup(file, 'it has no Parley schema'));
    if (!opts.force && !isEmptyDatabase(target)) throw new BackupRefused(messages.operations.targetNotEmpty(target));
    // The backup API wants the target's folder to exist.
    mkdirSync(dirname(resolve(target)), { recursive: true });
    await copyAllPages(source, target);
  } finally {
    source.close();
  }
  const conn = connect(databaseUrl);
  try {
    const migrated = await migrate(conn);
    const db = new SQLite(target, { readonly: true });
    const counts = tableCounts(db);
    db.close();
    return { target, counts, migrated, seconds: (performance.now() - started) / 1000 };
  } finally {
    await conn.close();
  }
}
