import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/databases.js';
import { LOAD_ENV, LoadClient, prepareLoad } from '../support/load-client.js';
import { builtCli, killHard, startServerProcess, type ServerProcess } from '../support/process.js';

/*
 * `parley backup` against a running server that keeps taking comments and votes, then `parley
 * restore` into a new place: the copy must be a consistent snapshot (integrity, foreign keys,
 * counters that agree with the rows) holding everything acknowledged before the backup began.
 */
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [builtCli(), ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', BASE_URL: 'http://127.0.0.1:3000', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Everything a consistent snapshot must satisfy, read straight from the file. */
function inspect(file: string) {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const foreignKeys = db.pragma('foreign_key_check') as unknown[];
    const counterErrors: string[] = [];
    const articles = db.prepare('SELECT id, comment_count FROM articles').all() as { id: number; comment_count: number }[];
    for (const a of articles) {
      const visible = (db.prepare("SELECT count(*) AS n FROM comments WHERE article_id = ? AND status = 'visible'").get(a.id) as { n: number }).n;
      if (visible !== a.comment_count) counterErrors.push(`article ${a.id}: comment_count ${a.comment_count}, visible rows ${visible}`);
    }
    const votes = db
      .prepare(
        `SELECT c.id, c.up, c.down,
           (SELECT count(*) FROM votes v WHERE v.comment_id = c.id AND v.value = 1) AS ups,
           (SELECT count(*) FROM votes v WHERE v.comment_id = c.id AND v.value = -1) AS downs
         FROM comments c`,
      )
      .all() as { id: number; up: number; down: number; ups: number; downs: number }[];
    for (const v of votes)
      if (v.up !== v.ups || v.down !== v.downs) counterErrors.push(`comment ${v.id}: up/down ${v.up}/${v.down}, votes say ${v.ups}/${v.downs}`);
    const bodies = new Map((db.prepare('SELECT id, body_src FROM comments').all() as { id: number; body_src: string }[]).map((r) => [r.id, r.body_src]));
    return { integrity, foreignKeys, counterErrors, bodies };
  } finally {
    db.close();
  }
}

describe('parley backup and restore (SQLite)', () => {
  let server: ServerProcess | null = null;
  let load: LoadClient | null = null;
  afterEach(async () => {
    load?.close();
    if (server) await killHard(server.child);
    server = null;
    load = null;
  });

  it('backs up a live database under write load; the restored copy is consistent and holds every acknowledged comment', async () => {
    const db = await freshDatabase('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'parley-backup-'));
    const backupFile = join(dir, 'backup.db');
    const { articleId, writers } = await prepareLoad(db.url, 4);
    // A long reader (an export, say) holds checkpoints back, so what the load writes stays in the
    // WAL: a copy of the main file alone would lose every comment, the backup API must not.
    const longReader = new SQLite(db.url);
    longReader.exec('BEGIN');
    longReader.prepare('SELECT count(*) FROM comments').get();
    server = await startServerProcess({ ...LOAD_ENV, DATABASE_URL: db.url, CONTENT_DIR: 'tests/fixtures/content' });
    load = new LoadClient({ nodes: [server.url], articleId, writers, thinkMs: 5, readerHz: 5, listenersPerNode: 0 });
    await load.start();
    // Enough acknowledged comments to miss some in a bad copy; a busy machine may take a while.
    for (let i = 0; i < 300 && load.acked.filter((a) => a.kind === 'comment').length < 30; i++) await sleep(100);

    const ackedBefore = load.acked.filter((a) => a.kind === 'comment').map((a) => ({ id: a.commentId, body: a.body! }));
    const started = Date.now();
    const backup = await cli(['backup', backupFile], { DATABASE_URL: db.url });
    const finished = Date.now();
    longReader.exec('COMMIT');
    longReader.close();
    await sleep(1000);
    await load.stop();

    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up \d+ articles, \d+ comments and \d+ users to .*backup\.db .*integrity ok/);
    expect(load.failures).toEqual([]);
    const during = load.ackTimes.filter((t) => t >= started && t <= finished).length;
    const after = load.ackTimes.filter((t) => t > finished).length;
    console.log(
      `backup took ${finished - started} ms (process start included); ${ackedBefore.length} comments acknowledged before it, ${during} writes acknowledged while it ran, ${after} after`,
    );
    expect(ackedBefore.length).toBeGreaterThanOrEqual(30);
    // The server went on writing: the backup does not stop it.
    expect(after).toBeGreaterThan(0);

    // Restore into a path that does not exist yet.
    const restored = join(dir, 'restored', 'parley.db');
    const restore = await cli(['restore', backupFile], { DATABASE_URL: restored });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/^Restored \d+ articles, \d+ comments and \d+ users into /);

    const copy = inspect(restored);
    expect(copy.integrity).toBe('ok');
    expect(copy.foreignKeys).toEqual([]);
    expect(copy.counterErrors).toEqual([]);
    const missing = ackedBefore.filter((c) => copy.bodies.get(c.id) !== c.body);
    expect(missing).toEqual([]);
    // A snapshot, not the end state: the live database has comments written after it.
    const live = inspect(db.url);
    expect(live.bodies.size).toBeGreaterThan(copy.bodies.size);
    expect(copy.bodies.size).toBeGreaterThanOrEqual(ackedBefore.length);

    // A database with content is not overwritten without --force.
    const again = await cli(['restore', backupFile], { DATABASE_URL: db.url });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty .*--force/);
    expect(inspect(db.url).bodies.size).toBe(live.bodies.size);
  }, 120_000);

  it('restore --force replaces a database that has content; a file that is not a backup is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-restore-'));
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    expect((await cli(['users', 'grant', 'first@example.com'], { DATABASE_URL: a })).code).toBe(0);
    expect((await cli(['users', 'grant', 'second@example.com', 'third@example.com'], { DATABASE_URL: b })).code).toBe(0);
    expect((await cli(['backup', join(dir, 'a.backup')], { DATABASE_URL: a })).code).toBe(0);
    const forced = await cli(['restore', join(dir, 'a.backup'), '--force'], { DATABASE_URL: b });
    expect(forced.stderr).toBe('');
    expect(forced.stdout).toMatch(/Restored 0 articles, 0 comments and 1 users/);
    const users = new SQLite(b, { readonly: true });
    expect(users.prepare('SELECT email FROM users').all()).toEqual([{ email: 'first@example.com' }]);
    users.close();

    const notABackup = join(dir, 'notes.txt');
    (await import('node:fs')).writeFileSync(notABackup, 'hello, this is not a database\n'.repeat(200));
    const refused = await cli(['restore', notABackup], { DATABASE_URL: join(dir, 'c.db') });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not a Parley SQLite backup/);
    expect(existsSync(join(dir, 'c.db'))).toBe(false);
  }, 60_000);

  it('on PostgreSQL both commands point to pg_dump and pg_restore', async () => {
    const env = { DATABASE_URL: 'postgres://parley:parley@127.0.0.1:5432/parley_nowhere' };
    const backup = await cli(['backup', join(tmpdir(), 'never.db')], env);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toMatch(/pg_dump --format=custom/);
    expect(backup.stderr).not.toMatch(/parley:parley/);
    const restore = await cli(['restore', join(tmpdir(), 'never.dump')], env);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/pg_restore/);
  });
});
