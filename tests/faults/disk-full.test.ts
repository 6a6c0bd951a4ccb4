import { execFileSync } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, rmdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/messages.js';
import { hashToken } from '../../src/services/accounts.js';
import { connect } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { Store } from '../../src/store/store.js';
import { killHard, startServerProcess } from '../support/process.js';

type Server = Awaited<ReturnType<typeof startServerProcess>>;

const isRoot = process.getuid?.() === 0;
const headers = { 'content-type': 'application/json', cookie: 'parley_session=full-session-token', 'x-csrf-token': 'full-csrf' };

/** A subscriber with a session made directly in the database, so the test needs no mail. */
async function prepare(url: string): Promise<void> {
  const conn = connect(url);
  await migrate(conn);
  const store = new Store(conn.db, conn.dialect);
  const now = new Date();
  const user = await store.users.ensure('full@example.com', 'Disk Filler', now);
  await store.billing.putEntitlement({ userId: user.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now });
  await store.users.createSession(hashToken('full-session-token'), user.id, 'full-csrf', now, new Date(Date.now() + 3600_000));
  await conn.close();
}

/** Fills the file system holding `file` to the last byte, then frees `leave` bytes of it again. */
function fill(file: string, leave = 0): void {
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (const chunk of [Buffer.alloc(1 << 20, 1), Buffer.alloc(4096, 1), Buffer.alloc(1, 1)]) {
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  if (leave > 0) execFileSync('truncate', ['-s', String(Math.max(0, written - leave)), file]);
}

describe.skipIf(!isRoot)('a full disk under SQLite (20 MB tmpfs)', () => {
  let dir = '';
  let mounted = false;
  let content = '';
  const servers: Server[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', dir]);
    mounted = true;
  });

  afterAll(async () => {
    for (const s of servers) await killHard(s.child);
    if (mounted) {
      try {
        execFileSync('umount', [dir]);
      } catch {
        // Something still holds a file open; detach now, the kernel frees it when that closes.
        execFileSync('umount', ['-l', dir]);
      }
    }
    if (dir) rmdirSync(dir);
    if (content) rmSync(content, { recursive: true, force: true });
  });

  it('refuses writes with 507, loses no acknowledged comment, keeps serving reads, recovers, and starts on a full disk', async () => {
    const dbFile = join(dir, 'parley.db');
    const filler = join(dir, 'filler');
    await prepare(dbFile);
    const env = { DATABASE_URL: dbFile, CONTENT_DIR: 'tests/fixtures/content', POST_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '100000' };
    const first = await startServerProcess(env);
    servers.push(first);
    const articles = (await (await fetch(`${first.url}/api/v1/articles`)).json()) as { articles: { id: number; slug: string }[] };
    const articleId = articles.articles.find((a) => a.slug === 'open-thread')!.id;
    const post = (url: string, i: number) =>
      fetch(`${url}/api/v1/articles/${articleId}/comments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ body: `Comment ${i} on a filling disk. ${'words '.repeat(300)}` }),
      });

    const acked: number[] = [];
    const refused: { status: number; body: { error?: { code: string; message: string } } }[] = [];
    // Leave room for a few dozen comments, then post, four at a time, until the disk has refused
    // a whole round.
    fill(filler, 1024 * 1024);
    let n = 0;
    for (let round = 0, refusedRound = false; !refusedRound && round < 500; round++) {
      const answers = await Promise.all(
        [0, 1, 2, 3].map(async () => {
          const res = await post(first.url, n++);
          return { status: res.status, body: (await res.json()) as { comment?: { id: number }; error?: { code: string; message: string } } };
        }),
      );
      for (const a of answers) {
        if (a.status === 201) acked.push(a.body.comment!.id);
        else refused.push(a);
      }
      refusedRound = answers.every((a) => a.status !== 201);
    }
    const refused507 = refused.filter((r) => r.status === 507).length;
    console.log(`disk-full: ${n} posts, ${acked.length} acknowledged, ${refused507} answered 507, ${refused.length - refused507} other`);
    expect(acked.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const r of refused) {
      expect(r.status).toBe(507);
      expect(r.body).toEqual({ error: { code: 'storage_full', message: messages.errors.storage_full } });
    }
    // The log names the real cause, once per refused write, at error level.
    const fullLines = () =>
      first
        .output()
        .split('\n')
        .filter((l) => /SQLITE_FULL|disk (is )?full/.test(l));
    await expect.poll(() => fullLines().length).toBe(refused.length);
    const logged = fullLines();
    for (const l of logged) expect((JSON.parse(l) as { level: number }).level).toBe(50);
    expect(first.output()).not.toMatch(/cannot rollback/);

    // Reads go on while the disk is full.
    expect(first.child.exitCode).toBeNull();
    expect((await fetch(`${first.url}/articles/open-thread`)).status).toBe(200);
    expect((await fetch(`${first.url}/api/v1/articles/${articleId}/comments`)).status).toBe(200);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);

    // Space freed: the same process takes writes again.
    rmSync(filler);
    const again = await post(first.url, n++);
    expect(again.status).toBe(201);
    acked.push(((await again.json()) as { comment: { id: number } }).comment.id);
    await killHard(first.child);

    // Every acknowledged comment is in the database.
    const check = new SQLite(dbFile, { readonly: true });
    const stored = new Set((check.prepare('SELECT id FROM comments').all() as { id: number }[]).map((r) => r.id));
    check.close();
    const lost = acked.filter((id) => !stored.has(id));
    console.log(`disk-full: ${acked.length} acknowledged in all, ${lost.length} lost`);
    expect(lost).toEqual([]);

    // A node that starts on a full disk serves reads and refuses writes, even when the content
    // folder has an edited article it cannot store.
    content = mkdtempSync(join(tmpdir(), 'parley-content-'));
    cpSync('tests/fixtures/content', content, { recursive: true });
    writeFileSync(join(content, 'open-thread.md'), `${readFileSync(join(content, 'open-thread.md'), 'utf8')}\nAn edit made while the disk was full.\n`);
    fill(filler);
    const second = await startServerProcess({ ...env, CONTENT_DIR: content });
    servers.push(second);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${second.url}/articles/open-thread`)).status).toBe(200);
    expect((await fetch(`${second.url}/api/v1/articles/${articleId}/comments`)).status).toBe(200);
    // The log file may hold a little reusable room; the disk refuses within a few posts at most.
    let res: Response | undefined;
    for (let i = 0; i < 50; i++) {
      res = await post(second.url, n++);
      if (res.status !== 201) break;
    }
    expect(res!.status).toBe(507);
    expect(((await res!.json()) as { error: { code: string } }).error.code).toBe('storage_full');
    expect(second.child.exitCode).toBeNull();
    expect(second.output()).toMatch(/storage full at start: the content folder was not loaded/);
  }, 180_000);
});
