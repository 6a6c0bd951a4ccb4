import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { User } from '../../src/domain/types.js';
import { Accounts } from '../../src/services/accounts.js';
import { systemClock } from '../../src/services/clock.js';
import { emailsFromCsv } from '../../src/services/user-admin.js';
import { connect } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { Store } from '../../src/store/store.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';
import { CaptureMailer } from '../support/harness.js';
import { builtCli } from '../support/process.js';

/* `parley users`: many addresses or a CSV in one run, on the database alone (no server boot). */
const run = promisify(execFile);

async function cli(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t = performance.now();
  try {
    const { stdout, stderr } = await run(process.execPath, [builtCli(), ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', BASE_URL: 'http://127.0.0.1:3000', DATABASE_URL: databaseUrl },
    });
    return { code: 0, stdout, stderr, ms: performance.now() - t };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '', ms: performance.now() - t };
  }
}

async function subscribers(url: string, emails: string[]): Promise<Map<string, { subscriber: boolean; until: string | null; role: string }>> {
  const conn = connect(url);
  try {
    await migrate(conn);
    const store = new Store(conn.db, conn.dialect);
    const accounts = new Accounts(store, new CaptureMailer(), loadConfig({ DATABASE_URL: url, BASE_URL: 'http://127.0.0.1:3000' }), systemClock);
    const out = new Map<string, { subscriber: boolean; until: string | null; role: string }>();
    for (const e of emails) {
      // Read by SQL, not a Store method: the store is being split into repositories meanwhile.
      const row = await conn.db.selectFrom('users').select(['id', 'email', 'role']).where('email', '=', e.toLowerCase()).executeTakeFirst();
      if (!row) continue;
      const user = { id: Number(row.id), email: row.email, role: row.role } as User;
      const actor = await accounts.actorFor(user);
      out.set(e, { subscriber: actor.subscriber, until: actor.subscriberUntil?.toISOString().slice(0, 10) ?? null, role: user.role });
    }
    return out;
  } finally {
    await conn.close();
  }
}

describe('parley users', () => {
  it.each(DIALECTS)(
    'grants 200 addresses from a CSV file in one run on %s',
    async (dialect) => {
      const db = await freshDatabase(dialect);
      try {
        const dir = mkdtempSync(join(tmpdir(), 'parley-users-'));
        const emails = Array.from({ length: 200 }, (_, i) => `reader${i}@example.com`);
        // A newsletter tool's export: a header row, the address in a column named email, a quoted name with a comma.
        const csv = ['name,email,plan', ...emails.map((e, i) => `"Reader, No. ${i}",${e},press`)].join('\r\n');
        writeFileSync(join(dir, 'list.csv'), `\uFEFF${csv}\r\n`);
        const r = await cli(['users', 'grant', '--csv', join(dir, 'list.csv'), '--until', '2099-12-31'], db.url);
        console.log(`${dialect}: 200 grants from a CSV in ${(r.ms / 1000).toFixed(2)} s (one process, schema migration included)`);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^200 done in [\d.]+ s\.$/m);
        const subs = await subscribers(db.url, emails);
        expect([...subs.values()].filter((s) => s.subscriber && s.until === '2099-12-31')).toHaveLength(200);
        // The old command booted the whole app for each address, about 7.5 s apiece.
        expect(r.ms).toBeLessThan(20_000);

        // Several addresses on the command line; revoke one known and one unknown address.
        expect((await cli(['users', 'role', 'reader1@example.com', 'Editor@Example.com', 'moderator'], db.url)).stdout).toMatch(
          /reader1@example.com is now a moderator\.\neditor@example.com is now a moderator\./,
        );
        const revoke = await cli(['users', 'revoke', 'reader0@example.com', 'nobody@example.com'], db.url);
        expect(revoke.code).toBe(1);
        expect(revoke.stdout).toMatch(
          /reader0@example.com is no longer a manual subscriber\.\nnobody@example.com: No user with email nobody@example.com\.\n1 done, 1 failed/,
        );
        const after = await subscribers(db.url, ['reader0@example.com', 'reader1@example.com', 'editor@example.com']);
        expect(after.get('reader0@example.com')?.subscriber).toBe(false);
        expect(after.get('reader1@example.com')).toMatchObject({ subscriber: true, role: 'moderator' });
        expect(after.get('editor@example.com')).toMatchObject({ subscriber: false, role: 'moderator' });
      } finally {
        await db.drop();
      }
    },
    60_000,
  );

  it('refuses a CSV with a bad row before granting anyone', async () => {
    const db = await freshDatabase('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'parley-users-'));
    writeFileSync(join(dir, 'list.csv'), 'ok@example.com\nnot-an-address\n');
    const r = await cli(['users', 'grant', '--csv', join(dir, 'list.csv')], db.url);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not an email address on line 2 of .*list\.csv: not-an-address/);
    expect((await subscribers(db.url, ['ok@example.com'])).size).toBe(0);
  });

  it('reads a plain list, a column named email, and refuses a table without one', () => {
    expect(emailsFromCsv('a@x.io\n\nb@y.io\n')).toEqual(['a@x.io', 'b@y.io']);
    expect(emailsFromCsv('Email;Name\na@x.io;A\n"b@y.io";"B; b"\n')).toEqual(['a@x.io', 'b@y.io']);
    expect(() => emailsFromCsv('name,address\nA,a@x.io\n', 'list.csv')).toThrow(/list.csv has no email column/);
  });
});
