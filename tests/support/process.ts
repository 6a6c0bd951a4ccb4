import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { onTestFinished } from 'vitest';

/** The built command line, as production runs it; `npm test` builds it first. */
export const BUILT_CLI = 'dist/src/cli.js';

export function builtCli(): string {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` (npm test does) before the process tests`);
  return BUILT_CLI;
}

/*
 * Every process a test starts is stopped when that test ends, or (started in a `beforeAll`) when
 * its file ends (tests/support/cleanup.ts): a test that times out is abandoned mid-way, so its own
 * `finally` never stops what it started, and a server left running would load the machine under
 * every test after it.
 */
const started = new Set<ChildProcess>();

/** Kills every process still running that `tracked` was given. */
export function killTracked(): void {
  for (const child of started) child.kill('SIGKILL');
}

/** Remembers `child` until it exits, and stops it when the test that started it ends. */
export function tracked<C extends ChildProcess>(child: C): C {
  started.add(child);
  child.once('exit', () => started.delete(child));
  try {
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
  } catch {
    // Started outside a test (a beforeAll): the file's end stops it.
  }
  return child;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
}

/** Runs the built `parley serve` as its own process, as production does, and waits until it answers. */
export async function startServerProcess(env: Record<string, string>, opts: { port?: number; ready?: string } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child = tracked(
    spawn(process.execPath, [builtCli(), 'serve'], {
      // Vitest puts Vite's BASE_URL ('/') into the environment; the server must get its own.
      // New-account slowdown off: these tests post bursts from fresh accounts on purpose.
      env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', BASE_URL: url, NEW_ACCOUNT_SLOWDOWN_SECONDS: '0', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // A busy two-core machine may take a while to start a process: up to 60 s.
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
    try {
      if ((await fetch(`${url}${opts.ready ?? '/healthz'}`)).ok) return { child, url, port, output: () => out };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${out}`);
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
