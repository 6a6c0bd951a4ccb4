/**
 * Load benchmark, printed as one table: the server-rendered article page and the JSON API's first
 * page, for guests and a signed-in subscriber, on the 70-comment demo thread and generated
 * threads (100,000 comments by default), under each sort, on SQLite and PostgreSQL; the bytes a
 * page weighs raw and as a browser gets it (`accept-encoding: br, gzip`, which every load
 * request sends too); and comment posts. The server runs pinned to one core, this client
 * (autocannon) to the other, so neither steals the other's CPU.
 *
 *   npm run bench                                          # both databases, 70 and 100,000 comments
 *   BENCH_DB=sqlite BENCH_SIZES=100000,1000000 BENCH_SECONDS=5 npm run bench
 *   BENCH_SIZES_SQLITE=100000,1000000 npm run bench        # 1,000,000 on SQLite only
 *   BENCH_DB=sqlite BENCH_SIZES= BENCH_SORTS=top npm run bench   # the demo page, its hot thread and posts
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { DEMO_ARTICLE, seedDemo } from '../src/demo/seed.js';
import { createParley } from '../src/server.js';
import { hashToken } from '../src/services/accounts.js';
import type { Store } from '../src/store/store.js';
import { freshDatabase } from '../tests/support/databases.js';
import { killHard, startServerProcess } from '../tests/support/process.js';
import { generateThread } from './generate.js';
import { withoutBodies } from './lean-client.js';
import { whilePosting } from './hot-thread.js';
import { cpuSeconds, createPosters, lost, POST_CONNECTIONS, POSTERS, postRequests } from './posts.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const sizes = (list: string) => list.split(',').filter(Boolean).map(Number);
/** Generated thread sizes; BENCH_SIZES_SQLITE / BENCH_SIZES_POSTGRES set one database's own. */
const SIZES = (dialect: string) => sizes(process.env[`BENCH_SIZES_${dialect.toUpperCase()}`] ?? process.env.BENCH_SIZES ?? '100000');
const DBS = (process.env.BENCH_DB ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];
const SORTS = (process.env.BENCH_SORTS ?? 'top,newest,oldest').split(',') as ('top' | 'newest' | 'oldest')[];
const BROWSER = { 'accept-encoding': 'br, gzip' };
/** New comments per second into the hot thread while guests read it (issue 12). */
const HOT_POSTS_PER_SECOND = 20;
/** The demo's subscriber (src/demo/discussion.ts), who voted on many of its comments. */
const DEMO_VOTER = 'reader@example.com';

interface Row {
  db: string;
  thread: string;
  sort: string;
  reader: string;
  what: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  raw?: number;
  sent?: number;
  /**
   * For a row measured in turns with another: its throughput against that one's (a hot thread
   * against the same page read quietly, the largest thread's page against the smallest's).
   */
  ofPair?: number;
  /** The server's resident memory after the row, in MB. */
  rss?: number;
  /** Server CPU time per answered request, in ms: what the row cost the server, whatever the client managed. */
  cpu?: number;
}

/** The server process's resident memory in MB (Linux), so memory shows against thread size. */
let serverPid = 0;
function serverRss(): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${serverPid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
const rows: Row[] = [];

/** Pins a process (all its threads) to one core; says so when it cannot. */
function pin(pid: number, core: number): boolean {
  if (cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** One request's body size on the wire, undecoded (fetch would decode it). */
function wireBytes(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Seconds each read row is run unmeasured first, so JIT and caches are warm for every row alike.
 * One second was too short for V8 to finish optimising a new path: the demo's signed-in page,
 * the first signed-in row, gave 1,090 req/s after 1 s and 2,216 after 4 s (same build, minutes apart).
 */
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 3);
/** Seconds each reader's demo page and API run once when the server has started (see benchDialect). */
const SERVER_WARM_SECONDS = 4;

/**
 * A page and its API are measured in turns, this many rounds each, and each side's figures are
 * the sum of its rounds: this machine's speed drifts by tens of percent, for seconds at a time,
 * and a ratio of two rows run one after the other measured that drift as much as the page. Three
 * rounds were too few: the same build's cached guest page cost 0.085 ms of CPU and then 0.15 ms
 * minutes apart, and a slow stretch that fell on the page's rounds gave it 0.54 of the API's
 * throughput twice in a row (0.96 in the run before). Rounds of about a second share it out.
 */
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? Math.round(SECONDS)));

type Case = { row: Omit<Row, 'rps' | 'p50' | 'p99' | 'errors'>; opts: autocannon.Options };

/** One run of a case: what it adds to that case's row. */
interface Run {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  cpu: number | null;
}

async function run(opts: autocannon.Options, seconds: number): Promise<Run> {
  const cpu0 = cpuSeconds(serverPid);
  const r = await autocannon(withoutBodies({ connections: 20, duration: seconds, ...opts }));
  const cpu1 = cpuSeconds(serverPid);
  return {
    requests: r.requests.total,
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.non2xx + r.errors + r.timeouts,
    cpu: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
  };
}

/** A row from its runs: req/s over all of them, the middle run's p50, the worst run's p99. */
function rowOf(c: Case, runs: Run[]): Row {
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const cpu = runs.every((r) => r.cpu !== null) ? runs.reduce((n, r) => n + r.cpu!, 0) : null;
  const p50s = runs.map((r) => r.p50).sort((a, b) => a - b);
  const out: Row = {
    ...c.row,
    rps: requests / runs.reduce((n, r) => n + r.seconds, 0),
    p50: p50s[Math.floor(p50s.length / 2)]!,
    p99: Math.max(...runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    rss: serverRss(),
    cpu: cpu !== null && requests > 0 ? (cpu * 1000) / requests : undefined,
  };
  rows.push(out);
  process.stderr.write(`  ${out.db} ${out.thread} ${out.sort} ${out.reader} ${out.what}: ${out.rps.toFixed(0)} req/s\n`);
  return out;
}

/** Cases measured side by side: each warmed, then all run in turns for ROUNDS rounds. */
async function inTurns(cases: Case[]): Promise<Row[]> {
  if (WARM_SECONDS > 0) for (const c of cases) await run(c.opts, WARM_SECONDS);
  const runs = cases.map((): Run[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, c] of cases.entries()) runs[i]!.push(await run(c.opts, SECONDS / ROUNDS));
  }
  return cases.map((c, i) => rowOf(c, runs[i]!));
}

/**
 * Seconds the posting path runs unmeasured before a POST row. A server that has only served reads
 * is still compiling it and filling SQLite's page cache with the index pages posts write: on a
 * fresh server, 50 subscribers' posts into a 1,000,000-comment thread ran at 1,426 posts/s over
 * the first 3 s and 2,646-2,923 in the 5 s runs after it.
 */
const POST_WARM_SECONDS = Number(process.env.BENCH_POST_WARM_SECONDS ?? 10);

/**
 * A write alone (it changes what the next run would read): warmed, then one run of SECONDS rather
 * than rounds. Every autocannon run opens all its connections at once, and libuv since 1.45
 * accepts one connection per turn of the event loop (libuv PR #3696): a node busy with posts
 * turns every 20-40 ms, so 100 new connections take seconds to be taken in. In rounds of 1 s,
 * about half of each round's first requests waited for most of the round, and that was the row's
 * p99 (545-600 ms, against a node that logged no request over 200 ms); a plain Node server that
 * answers in blocking batches does the same.
 */
async function writes(row: Case['row'], opts: autocannon.Options): Promise<Row> {
  if (POST_WARM_SECONDS > 0) await run(opts, POST_WARM_SECONDS);
  return rowOf({ row, opts }, [await run(opts, SECONDS)]);
}

/**
 * Lets the database finish what generating threads left it (vacuum, statistics, dirty pages), so
 * that work does not compete with the first rows measured: PostgreSQL's autovacuum of a
 * 1,000,000-comment thread took a core for minutes and made the first rows the slowest.
 */
async function settle(store: Store, dialect: 'sqlite' | 'postgres') {
  if (dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
    return;
  }
  await sql`vacuum analyze`.execute(store.db);
  await sql`checkpoint`.execute(store.db);
  for (let waited = 0; waited < 300; waited++) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum worker'`.execute(store.db);
    if (rows[0]!.n === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function main() {
  const pinned = pin(process.pid, 0);
  const started = `${new Date().toISOString()} (load average ${loadavg()[0]!.toFixed(1)})`;
  // The table of what was measured is printed even when a later database fails.
  try {
    for (const dialect of DBS) {
      const db =
        dialect === 'sqlite' ? { url: join(mkdtempSync(join(tmpdir(), 'parley-bench-')), 'bench.db'), drop: async () => {} } : await freshDatabase('postgres');
      try {
        await benchDialect(dialect, db.url, pinned);
      } finally {
        await db.drop();
      }
    }
  } finally {
    print(started, pinned);
  }
}

/** Every row of one database: seeds and generates its threads, then measures them against a server process. */
async function benchDialect(dialect: 'sqlite' | 'postgres', databaseUrl: string, pinned: boolean) {
  // The demo publication (README's `parley demo`): its article is the realistic 70-comment page.
  // Generating and settling 1,000,000 comments runs statements far longer than a request's limit
  // (PostgreSQL's `vacuum analyze` took over 5 s on a slow run).
  const seederConfig = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', CONTENT_DIR: 'content', DATABASE_STATEMENT_TIMEOUT_MS: '600000' };
  const seeder = await createParley(loadConfig(seederConfig), {
    loadContent: true,
    worker: false,
  });
  // Seeding that fails (a full disk, PostgreSQL going away) still closes the seeder's connections,
  // or the database could not be dropped after it.
  const seed = async () => {
    await seedDemo(seeder);
    const store = seeder.store;
    const demo = (await store.articles.bySlug(DEMO_ARTICLE))!;
    const now = new Date();
    const authors: number[] = [];
    for (let i = 0; i < 50; i++) authors.push((await store.users.ensure(`bench${i}@example.com`, `Bench ${i}`, now)).id);
    // An established subscriber: new accounts are slowed down by the posting rules.
    const poster = await store.users.ensure('poster@example.com', 'Poster', new Date(Date.now() - 90 * 86400_000));
    await store.billing.putEntitlement({ userId: poster.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now });
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    await store.users.createSession(hashToken(token), poster.id, csrf, now, new Date(Date.now() + 86400_000));
    // The demo's own subscriber has voted on many of its comments: their page differs from the shared one the most.
    const voter = (await store.users.byEmail(DEMO_VOTER))!;
    const voterToken = randomBytes(32).toString('base64url');
    await store.users.createSession(hashToken(voterToken), voter.id, randomBytes(32).toString('base64url'), now, new Date(Date.now() + 86400_000));
    const demoIds = (await store.comments.visibleIds(demo.id, 10_000)) as number[];
    const voterVotes = (await store.votes.ofMany(voter.id, demoIds)).size;
    const posters = await createPosters(store, POSTERS);
    const threads = [{ slug: demo.slug, articleId: demo.id, label: `${demo.commentCount} (demo)` }];
    for (const size of SIZES(dialect)) {
      const t0 = performance.now();
      const t = await generateThread(store, `bench-${size}`, size, authors);
      threads.push({ slug: `bench-${size}`, articleId: t.articleId, label: size.toLocaleString('en') });
      process.stderr.write(`[${dialect}] generated ${size.toLocaleString('en')} comments in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const t0 = performance.now();
    await settle(store, dialect);
    process.stderr.write(`[${dialect}] settled in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return { demo, token, csrf, voterToken, voterVotes, posters, threads };
  };
  let seeded: Awaited<ReturnType<typeof seed>>;
  try {
    seeded = await seed();
  } finally {
    await seeder.close();
  }
  const { demo, token, csrf, voterToken, voterVotes, posters, threads } = seeded;

  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    POST_LIMIT_PER_MINUTE: '100000000',
    CONTENT_DIR: 'content',
  });
  const serverPinned = pin(server.child.pid!, 1);
  serverPid = server.child.pid!;
  if (!pinned || !serverPinned) process.stderr.write('warning: could not pin client and server to separate cores\n');
  const base = server.url;
  const readers = { guest: {}, 'signed in': { cookie: `parley_session=${token}` } } as Record<string, Record<string, string>>;
  const voterLabel = `signed in, ${voterVotes} votes`;
  /** A thread's article page in a sort, and a reader's request headers as a browser sends them. */
  const pageUrl = (slug: string, sort: string) => `${base}/articles/${slug}?sort=${sort}`;
  const asBrowser = (cookie: Record<string, string>) => ({ ...cookie, ...BROWSER });
  const readersOf = (articleId: number) => (articleId === demo.id ? { ...readers, [voterLabel]: { cookie: `parley_session=${voterToken}` } } : readers);
  try {
    // A new process is still compiling its paths for seconds after the first row's warm-up: the
    // first row's page gave 0.54-0.67 of its API three runs in a row, and 0.95 once both had run
    // 8 s. Every reader's page and API run once first, for a server as it is after a while.
    for (const cookie of Object.values(readersOf(demo.id)))
      for (const url of [`${base}/articles/${demo.slug}`, `${base}/api/v1/articles/${demo.id}/comments`])
        await run({ url, headers: asBrowser(cookie) }, SERVER_WARM_SECONDS);
    for (const t of threads) {
      for (const sort of SORTS) {
        for (const [reader, cookie] of Object.entries(readersOf(t.articleId))) {
          const cases: Case[] = [];
          for (const [what, url] of [
            ['SSR page', pageUrl(t.slug, sort)],
            ['JSON API', `${base}/api/v1/articles/${t.articleId}/comments?sort=${sort}`],
          ] as const) {
            const raw = await wireBytes(url, cookie);
            const sent = await wireBytes(url, asBrowser(cookie));
            if (raw.status !== 200 || sent.status !== 200) throw new Error(`${url} answered ${raw.status}/${sent.status}`);
            cases.push({
              row: { db: dialect, thread: t.label, sort, reader, what, raw: raw.bytes, sent: sent.bytes },
              opts: { url, headers: asBrowser(cookie) },
            });
          }
          const measured = await inTurns(cases);
          for (const [i, row] of measured.entries()) {
            // What the row's readers were sent: a cached body that lasts goes out smaller than at first (compression.ts).
            row.sent = (await wireBytes(String(cases[i]!.opts.url), asBrowser(cookie))).bytes;
          }
        }
      }
    }
    // The largest thread's page against the smallest's, in turns: their rows above ran minutes
    // apart, and PostgreSQL's 1,000,000 rows gave 1.25-1.31 times slower than its 1,000 ones in
    // one run while the same pages read in turns on their own were within 1.03 of each other.
    const [small, large] = [threads[1], threads.at(-1)!];
    if (small && large !== small) {
      for (const [reader, cookie] of Object.entries(readers)) {
        for (const sort of SORTS) {
          const at = (t: (typeof threads)[number]): Case => ({
            row: { db: dialect, thread: t.label, sort, reader, what: 'SSR page, sizes in turns' },
            opts: { url: pageUrl(t.slug, sort), headers: asBrowser(cookie) },
          });
          const [l, s] = await inTurns([at(large), at(small)]);
          l!.ofPair = l!.rps / s!.rps;
        }
      }
    }
    // The demo page read by guests while it gets new comments, in turns with the same page read
    // quietly (the machine's drift would otherwise pass for the posts' cost): last of the reads, as
    // it adds comments.
    const demoThread = threads[0]!;
    const page: Case = {
      row: { db: dialect, thread: demoThread.label, sort: 'top', reader: 'guest', what: 'SSR page, quiet' },
      opts: { url: pageUrl(demoThread.slug, 'top'), headers: BROWSER },
    };
    const poster = { base, articleId: demoThread.articleId, cookie: `parley_session=${token}`, csrf, perSecond: HOT_POSTS_PER_SECOND };
    if (WARM_SECONDS > 0) {
      await run(page.opts, WARM_SECONDS);
      await whilePosting(poster, () => run(page.opts, WARM_SECONDS));
    }
    const quietRuns: Run[] = [];
    const hotRuns: Run[] = [];
    let posted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      quietRuns.push(await run(page.opts, SECONDS / ROUNDS));
      const hot = await whilePosting(poster, () => run(page.opts, SECONDS / ROUNDS));
      hotRuns.push(hot.read);
      posted += hot.posted / ROUNDS;
    }
    const quiet = rowOf(page, quietRuns);
    const hot = rowOf({ ...page, row: { ...page.row, what: `SSR page, ${posted.toFixed(0)} posts/s` } }, hotRuns);
    hot.ofPair = hot.rps / quiet.rps;
    const big = threads.at(-1)!;
    let n = 0;
    // Every request a new text: the duplicate-comment rule would refuse repeats.
    await writes(
      { db: dialect, thread: big.label, sort: '', reader: 'signed in', what: 'POST comment' },
      {
        url: `${base}/api/v1/articles/${big.articleId}/comments`,
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `parley_session=${token}`, 'x-csrf-token': csrf },
        requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ body: `Load test comment ${n++} with *emphasis*.` }) }) }],
      },
    );
    // Many subscribers into one article at once: what group commit shares a commit among. Every
    // acknowledged post must be in the database; one that is not counts as an error.
    const many = postRequests(base, big.articleId, posters);
    await writes({ db: dialect, thread: big.label, sort: '', reader: `${POSTERS} signed in`, what: `POST comment, ${POST_CONNECTIONS} conn` }, many.options);
    rows.at(-1)!.errors += await lost(databaseUrl, big.articleId, many.acked);
  } finally {
    await killHard(server.child);
  }
}

/** The one table: each read with the page/API ratio for the same case, and bytes raw and as sent. */
function print(started: string, pinned: boolean) {
  const api = (r: Row) => rows.find((x) => x.what === 'JSON API' && x.db === r.db && x.thread === r.thread && x.sort === r.sort && x.reader === r.reader);
  const head = [
    'db',
    'comments',
    'sort',
    'reader',
    'request',
    'req/s',
    'p50 ms',
    'p99 ms',
    'ratio',
    'CPU ms/req',
    'bytes raw',
    'bytes sent',
    'server MB',
    'errors',
  ];
  const body = rows.map((r) => {
    const a = r.what === 'SSR page' ? api(r) : undefined;
    return [
      r.db,
      r.thread,
      r.sort,
      r.reader,
      r.what,
      r.rps.toFixed(0),
      String(r.p50),
      String(r.p99),
      a ? (r.rps / a.rps).toFixed(2) : r.ofPair !== undefined ? r.ofPair.toFixed(2) : '',
      r.cpu?.toFixed(3) ?? '',
      r.raw?.toLocaleString('en') ?? '',
      r.sent?.toLocaleString('en') ?? '',
      r.rss?.toFixed(0) ?? '',
      r.errors ? String(r.errors) : '',
    ];
  });
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 5 ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join(' | ')} |`;
  console.log(
    `\nParley benchmark ${started}: node ${process.version}, ${SECONDS} s per row, 20 connections, ${pinned ? 'client on core 0, server on core 1 (taskset)' : 'NOT pinned'}; every read sends accept-encoding: br, gzip and its body goes unread (bench/lean-client.ts); load average at the end ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `ratio: an SSR page against the JSON API for the same case; a hot-thread row against the same page read quietly in turns with it; a 'sizes in turns' row of the largest thread against the smallest's, read in turns (within 1.2 times is 0.83 or more). CPU ms/req: the server's CPU time per answer (user + system), which the client's own core can hide when it is the one saturated. Each row ran ${WARM_SECONDS} s unmeasured first, then a page and its API (or the hot thread and the same page quiet) in turns, ${ROUNDS} rounds of ${(SECONDS / ROUNDS).toFixed(1)} s each: req/s over the rounds, p50 of the middle round, p99 of the worst; a POST row ran ${POST_WARM_SECONDS} s unmeasured, then once for ${SECONDS} s. bytes sent: as the server answered accept-encoding: br, gzip after the row (a cached page or JSON page that lasts 2 s goes out as brotli 11, first as brotli 6)`,
  );
  console.log(line(head));
  console.log(`|${width.map((w, i) => (i >= 5 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const b of body) console.log(line(b));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
