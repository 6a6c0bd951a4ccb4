/**
 * Load benchmark: reading the first page under each sort, and posting comments, on a 100-comment
 * and a 100,000-comment thread, on SQLite and PostgreSQL. Prints requests/s and p50/p99 latency.
 *
 *   npm run bench                      # both databases, 100 and 100,000 comments
 *   BENCH_DB=sqlite BENCH_SIZES=100,1000 BENCH_SECONDS=5 npm run bench
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { hashToken } from '../src/services/accounts.js';
import { connect } from '../src/store/connect.js';
import { migrate } from '../src/store/migrate.js';
import { Store } from '../src/store/store.js';
import { freshDatabase } from '../tests/support/databases.js';
import { killHard, startServerProcess } from '../tests/support/process.js';
import { generateThread } from './generate.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SIZES = (process.env.BENCH_SIZES ?? '100,100000').split(',').map(Number);
const DBS = (process.env.BENCH_DB ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];

async function load(title: string, opts: autocannon.Options) {
  const r = await autocannon({ connections: 20, duration: SECONDS, ...opts });
  const errors = r.non2xx + r.errors;
  console.log(`${title.padEnd(58)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms${errors ? `   (${errors} errors!)` : ''}`);
}

async function main() {
  console.log(`Parley load benchmark: ${SECONDS}s per run, 20 connections, node ${process.version}, ${new Date().toISOString()}`);
  for (const dialect of DBS) {
    const db = dialect === 'sqlite' ? { url: join(mkdtempSync(join(tmpdir(), 'parley-bench-')), 'bench.db'), drop: async () => {} } : await freshDatabase('postgres');
    const conn = connect(db.url);
    await migrate(conn);
    const store = new Store(conn.db, conn.dialect);
    const now = new Date();
    const authors: number[] = [];
    for (let i = 0; i < 50; i++) authors.push((await store.users.ensure(`bench${i}@example.com`, `Bench ${i}`, now)).id);
    // An established account: new accounts are slowed down by the posting rules.
    const poster = await store.users.ensure('poster@example.com', 'Poster', new Date(Date.now() - 90 * 86400_000));
    await store.billing.putEntitlement({ userId: poster.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now });
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    await store.users.createSession(hashToken(token), poster.id, csrf, now, new Date(Date.now() + 86400_000));
    const threads = [];
    for (const size of SIZES) {
      const t0 = performance.now();
      threads.push(await generateThread(store, `bench-${size}`, size, authors));
      console.log(`[${dialect}] generated ${size.toLocaleString('en')} comments in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    await conn.close();

    const server = await startServerProcess({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000', POST_LIMIT_PER_MINUTE: '100000000', CONTENT_DIR: 'content' });
    const base = server.url;
    try {
      for (const t of threads) {
        for (const sort of ['top', 'newest', 'oldest']) {
          await load(`[${dialect}] ${t.comments.toLocaleString('en')} comments, GET first page ${sort}`, { url: `${base}/api/v1/articles/${t.articleId}/comments?sort=${sort}` });
          // A signed-in reader's page carries their votes and rights, so it bypasses the guests' cache.
          await load(`[${dialect}] ${t.comments.toLocaleString('en')} comments, GET first page ${sort}, signed in`, {
            url: `${base}/api/v1/articles/${t.articleId}/comments?sort=${sort}`,
            headers: { cookie: `parley_session=${token}` },
          });
        }
      }
      const big = threads.at(-1)!;
      let n = 0;
      // Every request a new text: the duplicate-comment rule would refuse repeats.
      await load(`[${dialect}] ${big.comments.toLocaleString('en')} comments, POST comment`, {
        url: `${base}/api/v1/articles/${big.articleId}/comments`,
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `parley_session=${token}`, 'x-csrf-token': csrf },
        requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ body: `Load test comment ${n++} with *emphasis*.` }) }) }],
      });
    } finally {
      await killHard(server.child);
      await db.drop();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
