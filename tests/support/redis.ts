import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort, tracked } from './process.js';

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM); its clients see their connections close. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, and waits until it accepts connections. */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers, as with a hung server. */
  freeze(): void;
  thaw(): void;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

/** A throwaway Redis server (Debian's redis-server) on a free port, with nothing saved to disk. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const redis: TestRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      if (child) return;
      child = tracked(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
      for (let i = 0; i < 100; i++) {
        if (await accepts(port)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`redis-server did not start on port ${port}`);
    },
    stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        c.once('exit', () => resolve());
        // A frozen server would not act on SIGTERM until thawed.
        c.kill('SIGCONT');
        c.kill('SIGTERM');
      });
    },
    freeze() {
      child?.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
  };
  await redis.start();
  return redis;
}
