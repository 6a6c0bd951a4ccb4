import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, freePort, killHard, tracked } from '../support/process.js';

/**
 * Docker cannot run here, so this does what the Dockerfile's final image does, read from the
 * Dockerfile itself: the same files in a clean directory, runtime dependencies from
 * `npm ci --omit=dev` (its `deps` stage), the same environment and command. If the server
 * starts, migrates, serves the demo and passes the smoke check from there, no dev dependency
 * is needed at run time, and nothing the image leaves out is either.
 */
// About 100 s on two idle cores (most of it compiling better-sqlite3); nearly 5 min on a loaded machine.
const INSTALL_MS = 8 * 60_000;

interface Stage {
  name: string;
  lines: string[];
}

function dockerfileStages(): Stage[] {
  // Continuation lines joined, comments dropped.
  const text = readFileSync('Dockerfile', 'utf8').replace(/\\\n\s*/g, ' ');
  const stages: Stage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[1] ?? String(stages.length), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const stages = dockerfileStages();
const runtime = stages.at(-1)!;
const deps = stages.find((s) => s.name === 'deps')!;
const image = {
  copies: runtime.lines
    .filter((l) => /^COPY\s/i.test(l))
    .map((l) => {
      const words = l.split(/\s+/).slice(1);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
    }),
  env: Object.fromEntries(
    runtime.lines.filter((l) => /^ENV\s/i.test(l)).flatMap((l) => [...l.slice(4).matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
  ) as Record<string, string>,
  cmd: JSON.parse(runtime.lines.find((l) => /^CMD\s/i.test(l))!.slice(4)) as string[],
  healthcheck: JSON.parse(/CMD\s+(\[.*\])$/.exec(runtime.lines.find((l) => /^HEALTHCHECK\s/i.test(l))!)![1]!) as string[],
  user: runtime.lines.find((l) => /^USER\s/i.test(l))?.split(/\s+/)[1],
  volumes: runtime.lines.filter((l) => /^VOLUME\s/i.test(l)).flatMap((l) => JSON.parse(l.slice(7)) as string[]),
};

describe('the Dockerfile', () => {
  it('has a runtime stage that is not root, checks health, keeps SQLite on a volume and listens on every interface', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(image.user).toBe('node');
    expect(image.env.HOST).toBe('0.0.0.0');
    expect(image.volumes).toContain('/data');
    expect(image.env.DATABASE_URL).toMatch(/^\/data\//);
    expect(image.healthcheck.join(' ')).toContain('/healthz');
    expect(image.cmd).toEqual(['node', 'dist/src/cli.js', 'serve']);
    // Runtime dependencies come from a production-only install, never from the build stage.
    expect(deps.lines.join('\n')).toMatch(/npm ci --omit=dev/);
    expect(image.copies.find((c) => c.dest.includes('node_modules'))?.from).toBe('deps');
    expect(runtime.lines.join('\n')).not.toMatch(/npm (ci|install)(?! --omit=dev)/);
  });
});

describe('a production install, as the image has it', () => {
  let dir = '';
  let server: ChildProcess | null = null;
  let out = '';
  let url = '';
  let install = { status: -1 as number | null, output: '' };

  beforeAll(async () => {
    builtCli();
    dir = mkdtempSync(join(tmpdir(), 'parley-image-'));
    // Node must not find the repository's own node_modules (with its dev dependencies) above it.
    for (let up = dir; up !== '/'; up = join(up, '..')) expect(existsSync(join(up, '..', 'node_modules'))).toBe(false);
    for (const c of image.copies) {
      if (c.from === 'deps') continue; // installed below, as the deps stage does
      // `--from=build /app/dist` is this checkout's build (npm test builds before the suites).
      for (const src of c.sources) {
        const local = c.from === 'build' ? src.replace(/^\/app\//, '') : src;
        const dest = c.dest === './' || (c.dest.endsWith('/') && c.sources.length > 1) ? join(dir, local.split('/').at(-1)!) : join(dir, c.dest);
        cpSync(local, dest, { recursive: true });
      }
    }
    const result = await new Promise<{ status: number | null; output: string }>((resolve) => {
      let output = '';
      const npm = spawn('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
        cwd: dir,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      npm.stdout.on('data', (d) => (output += d));
      npm.stderr.on('data', (d) => (output += d));
      npm.on('close', (status) => resolve({ status, output }));
    });
    install = result;
  }, INSTALL_MS);

  afterAll(async () => {
    if (server) await killHard(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs from the lock file with no dev dependency', () => {
    expect(install.status, install.output).toBe(0);
    // Every package the lock file marks dev-only is absent (the compiler, the test runner, esbuild...).
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages)
      .filter(([path, p]) => path && p.dev)
      .map(([path]) => path);
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/vitest', 'node_modules/esbuild', 'node_modules/tsx']));
    expect(devOnly.filter((path) => existsSync(join(dir, path)))).toEqual([]);
    expect(existsSync(join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(dir, 'src'))).toBe(false);
  });

  it("seeds the demo, serves it with the image's command, and passes the smoke check", async () => {
    expect(install.status, install.output).toBe(0);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      // Only what the image's environment would hold: no NODE_PATH, no dev tooling on the path.
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      ...image.env,
      DATABASE_URL: join(dir, 'data', 'parley.db'),
      CONTENT_DIR: join(dir, 'content'),
      PORT: String(port),
      BASE_URL: url,
      LOG_LEVEL: 'warn',
    };
    const seeded = spawnSync(process.execPath, [image.cmd[1]!, 'demo', '--no-serve'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    expect(seeded.status, seeded.stderr + seeded.stdout).toBe(0);
    expect(seeded.stdout).toContain('reader@example.com');

    server = tracked(
      spawn(image.cmd[0] === 'node' ? process.execPath : image.cmd[0]!, image.cmd.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    await expect.poll(async () => (await fetch(`${url}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000, interval: 200 }).toBe(200);

    // The HEALTHCHECK command itself, as Docker would run it inside the container.
    const probe = spawnSync(process.execPath, image.healthcheck.slice(1), { cwd: dir, env, encoding: 'utf8', timeout: 10_000 });
    expect(probe.status, probe.stderr).toBe(0);

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });

    const articles = (await (await fetch(`${url}/api/v1/articles`)).json()) as { articles: { id: number; slug: string; commentCount?: number }[] };
    expect(articles.articles.length).toBeGreaterThan(0);
    const demo = articles.articles.find((a) => a.slug === 'night-trains')!;
    expect(demo.commentCount).toBeGreaterThan(10);
    const comments = await fetch(`${url}/api/v1/articles/${demo.id}/comments`);
    expect(comments.status).toBe(200);
    expect(comments.headers.get('x-request-id')).toBeTruthy();
    const body = (await comments.json()) as { threads: { comment: { id: number } }[] };
    expect(body.threads.length).toBeGreaterThan(0);

    const page = await fetch(`${url}/articles/${demo.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // Rendered on the server: the first thread's comment is in the page itself.
    expect(html).toContain(`comment-${body.threads[0]!.comment.id}`);
    // The widget bundle and stylesheets come from dist/public and public/.
    const scripts = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect((await fetch(`${url}${s}`)).status, s).toBe(200);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('parley_http_request_duration_seconds_count{route="/articles/:slug"');
    expect(out).not.toMatch(/"level":(50|60)/);

    // SIGTERM drains and exits cleanly, as `docker stop` does.
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    server = null;
  }, 180_000);
});
