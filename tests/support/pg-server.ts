import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './process.js';

const run = promisify(execFile);

/** The newest PostgreSQL installed from Debian's packages. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error('PostgreSQL is not installed (scripts/services.sh installs it)');
  return join(root, versions[0], 'bin');
}

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free port, so a fault test
 * can restart, stop or freeze it without disturbing the shared server other suites use.
 * PostgreSQL refuses to run as root, so its commands run as the `postgres` user.
 */
export interface PrivatePostgres {
  url: string;
  port: number;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Ends every session of the test database, as `pg_terminate_backend` does for an operator. */
  terminateBackends(): Promise<number>;
  /** SIGSTOP on the server and its children: connections stay open and nothing answers. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Stops the server and removes its files; safe to call twice and after a failure. */
  destroy(): Promise<void>;
}

const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', cmd, ...args], { timeout: 60_000 }) : run(cmd, args, { timeout: 60_000 });

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const port = await freePort();
  await asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'parley', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const ctl = (...args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', ...args]);
  let running = false;
  const start = async () => {
    await ctl('-o', options, 'start');
    running = true;
  };
  await start();
  const adminUrl = `postgres://parley@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE parley');
  await admin.end();
  const url = `postgres://parley@127.0.0.1:${port}/parley`;

  const serverPids = (): number[] => {
    const pidFile = join(data, 'postmaster.pid');
    if (!existsSync(pidFile)) return [];
    const main = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    const children = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === main;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [main, ...children];
  };
  const signalAll = (sig: NodeJS.Signals) => {
    for (const pid of serverPids()) {
      try {
        process.kill(pid, sig);
      } catch {}
    }
  };
  let frozen = false;

  return {
    url,
    port,
    start,
    async restart() {
      // What `pg_ctlcluster restart` does: a fast shutdown (sessions terminated, 57P01) and a start.
      await ctl('-m', 'fast', 'stop');
      await ctl('-o', options, 'start');
    },
    async stop() {
      await ctl('-m', 'fast', 'stop');
      running = false;
    },
    async terminateBackends() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        const r = await c.query("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = 'parley' AND pid <> pg_backend_pid()");
        return r.rows[0].n as number;
      } finally {
        await c.end();
      }
    },
    async freeze() {
      signalAll('SIGSTOP');
      frozen = true;
    },
    async thaw() {
      signalAll('SIGCONT');
      frozen = false;
    },
    async destroy() {
      if (frozen) signalAll('SIGCONT');
      if (running) await ctl('-m', 'immediate', 'stop').catch(() => signalAll('SIGKILL'));
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
