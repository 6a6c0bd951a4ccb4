/**
 * How a moderator finds every comment by one reader among 100,000, and how long that takes
 * (issue 16). On each database: 100,000 comments by 200 readers (bench/generate.ts, with words
 * drawn from a small vocabulary so word searches have something to find), then the moderation
 * API's search is asked, as a signed-in moderator through the whole HTTP stack (app.inject), for:
 * one reader's comments (the first page, and every page), words (rare, common, and with a reader),
 * and a reader's history. Each query runs RUNS times, rotating over the readers; p50 and p99 in ms.
 *
 *   npx tsx bench/search.ts               both databases
 *   npx tsx bench/search.ts sqlite        one (sqlite | postgres)
 *   BENCH_COMMENTS=20000 BENCH_RUNS=50 npx tsx bench/search.ts
 */
import { performance } from 'node:perf_hooks';
import { startParley, type TestParley } from '../tests/support/harness.js';
import { generateThread, rng } from './generate.js';

const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 100_000);
const READERS = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const dialects = (process.argv[2] ? [process.argv[2]] : ['sqlite', 'postgres']) as ('sqlite' | 'postgres')[];

// Common words first: picked with a Zipf-like skew, so some are everywhere and others rare.
const VOCABULARY = (
  'the article argument point think really people government policy reader writer evidence question answer problem ' +
  'country city harbour train station market price money school teacher doctor hospital weather summer winter ' +
  'football election minister parliament climate energy transport housing rent village river bridge garden ' +
  'history museum library concert theatre festival kitchen recipe bakery coffee bicycle mountain valley forest ' +
  'island beach lighthouse ferry sailor fisherman harvest orchard vineyard meadow shepherd cathedral monastery ' +
  'telescope comet glacier volcano canyon desert oasis caravan lantern compass'
).split(' ');

function bodies(seed: number) {
  const rand = rng(seed);
  return (i: number) => {
    const n = 12 + Math.floor(rand() * 20);
    const words: string[] = [];
    for (let k = 0; k < n; k++) words.push(VOCABULARY[Math.floor(VOCABULARY.length ** rand()) - 1]!);
    // One comment in a thousand mentions the albatross: the needle.
    if (i % 1000 === 7) words.splice(3, 0, 'albatross');
    return `${words.join(' ')}.`;
  };
}

interface Row {
  query: string;
  found: number;
  p50: number;
  p99: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function measure(name: string, run: (k: number) => Promise<number>): Promise<Row> {
  for (let k = 0; k < 10; k++) await run(k);
  const times: number[] = [];
  let found = 0;
  for (let k = 0; k < RUNS; k++) {
    const t = performance.now();
    found = await run(k);
    times.push(performance.now() - t);
  }
  return { query: name, found, p50: pct(times, 50), p99: pct(times, 99) };
}

async function bench(dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  const p: TestParley = await startParley(dialect);
  try {
    const now = p.clock.now();
    const readers: number[] = [];
    for (let i = 0; i < READERS; i++) readers.push((await p.store.users.ensure(`reader${i}@example.com`, `Reader ${i}`, now)).id);
    const t0 = performance.now();
    await generateThread(p.store, 'search-bench', COMMENTS, readers, bodies(42));
    if (dialect === 'postgres') {
      const { sql } = await import('kysely');
      await sql`analyze`.execute(p.store.db);
    }
    console.error(
      `${dialect}: ${COMMENTS.toLocaleString('en')} comments by ${READERS} readers generated and indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    await p.moderation.setRoleByEmail('mod@example.com', 'moderator', 'Mod');
    const { cookie } = await p.signIn('mod@example.com');
    const get = async (url: string) => {
      const res = await p.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      return res.json() as { total: number; nextCursor: string | null; results: unknown[] };
    };
    const reader = (k: number) => `reader${(k * 37) % READERS}@example.com`;
    return [
      await measure("one reader's comments, first page of 20 + total", async (k) => (await get(`/admin/search?author=${reader(k)}`)).total),
      await measure("one reader's comments, every page (100 a page)", async (k) => {
        let n = 0;
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<typeof get>> = await get(`/admin/search?author=${reader(k)}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
          n += page.results.length;
          cursor = page.nextCursor;
        } while (cursor);
        return n;
      }),
      await measure('rare word (albatross)', async () => (await get('/admin/search?q=albatross')).total),
      await measure('common word (harbour)', async () => (await get('/admin/search?q=harbour')).total),
      await measure('two words (lighthouse ferry)', async () => (await get('/admin/search?q=lighthouse%20ferry')).total),
      await measure("word + one reader (harbour, reader's email)", async (k) => (await get(`/admin/search?q=harbour&author=${reader(k)}`)).total),
      await measure("a reader's history drawer", async (k) => {
        const h = (await get(`/admin/users/${readers[(k * 37) % READERS]}/history`)) as unknown as { comments: { total: number } };
        return h.comments.total;
      }),
    ];
  } finally {
    await p.dispose();
  }
}

const results: Record<string, Row[]> = {};
for (const d of dialects) results[d] = await bench(d);

const names = results[dialects[0]!]!.map((r) => r.query);
const width = Math.max(...names.map((n) => n.length));
const head = dialects.map((d) => `${d.padStart(10)} found   p50 ms   p99 ms`).join(' |');
console.log(`\nModerator search over ${COMMENTS.toLocaleString('en')} comments by ${READERS} readers, ${RUNS} runs each (HTTP via app.inject)`);
console.log(`${'query'.padEnd(width)} | ${head}`);
console.log('-'.repeat(width + 3 + head.length));
names.forEach((name, i) => {
  const cells = dialects.map((d) => {
    const r = results[d]![i]!;
    return `${String(r.found).padStart(16)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}`;
  });
  console.log(`${name.padEnd(width)} | ${cells.join(' |')}`);
});
