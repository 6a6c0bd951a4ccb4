import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/messages/locales/index.js';
import { builtCli } from '../support/process.js';

/* The built `parley` command speaks LOCALE (issue 15): help, usage errors and what commands print. */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'parley-cli-locale-'));

async function cli(args: string[], locale: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [builtCli(), ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', BASE_URL: 'http://127.0.0.1:3000', LOCALE: locale, DATABASE_URL: join(dir, `${locale}.db`) },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('parley in another language', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help, migrations and usage errors in LOCALE', async () => {
    const de = messagesFor('de').operations;
    expect((await cli(['help'], 'de')).stdout).toBe(`${de.usage}\n`);
    await cli(['migrate'], 'de');
    const again = await cli(['migrate'], 'de');
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(`${de.upToDate}\n`);
    const ar = messagesFor('ar').operations;
    const wrong = await cli(['backup'], 'ar');
    expect(wrong.code).toBe(64);
    expect(wrong.stderr).toBe(`parley: ${ar.backupNeedsFile}\n\n${ar.usage}\n`);
    // English stays the default.
    expect((await cli(['nonsense'], 'en')).stderr).toContain('parley: unknown command: nonsense');
  });

  it('refuses a LOCALE it does not ship, naming the variable', async () => {
    const res = await cli(['migrate'], 'xx');
    expect(res.code).toBe(78);
    expect(res.stderr).toContain('LOCALE');
  });
});
