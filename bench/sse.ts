/**
 * Live-update benchmark: opens 1,000 SSE connections, posts comments, and prints how long it takes
 * until every client has seen each comment (p50/p99 over comments), on one node and on two nodes
 * sharing one PostgreSQL (clients split between them, posts go to the first).
 *
 *   npx tsx bench/sse.ts            # SSE_CLIENTS=1000 SSE_COMMENTS=50 by default
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '../src/services/accounts.js';
import { connect } from '../src/store/connect.js';
import { migrate } from '../src/store/migrate.js';
import { Store, blankArticle } from '../src/store/store.js';
import { freshDatabase } from '../tests/support/databases.js';
import { killHard, startServerProcess } from '../tests/support/process.js';

const CLIENTS = Number(process.env.SSE_CLIENTS ?? 1000);
const COMMENTS = Number(process.env.SSE_COMMENTS ?? 50);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function prepare(url: string) {
  const conn = connect(url);
  await migrate(conn);
  const store = new Store(conn.db, conn.dialect);
  const now = new Date();
  const article = await store.articles.upsert(blankArticle({ slug: 'sse-bench', title: 'SSE bench', publishedAt: now, body: 'x' }), now);
  const user = await store.users.ensure('sse@example.com', 'SSE', now);
  await store.billing.putEntitlement({ userId: user.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now });
  const token = randomBytes(24).toString('base64url');
  await store.users.createSession(hashToken(token), user.id, 'sse-csrf', now, new Date(Date.now() + 3600_000));
  await conn.close();
  return { articleId: article.id, token };
}

/** One SSE client: records when it first saw each comment id. */
function client(url: string, seen: Map<number, number[]>): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE status ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!block.includes('event: comment.created')) continue;
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          const id = data ? (JSON.parse(data.slice(6)) as { comment: { id: number } }).comment.id : 0;
          const list = seen.get(id) ?? [];
          list.push(performance.now());
          seen.set(id, list);
        }
      });
      resolve(req);
    });
    req.on('error', reject);
  });
}

async function run(label: string, dbUrl: string, nodes: number) {
  const { articleId, token } = await prepare(dbUrl);
  const env = {
    DATABASE_URL: dbUrl,
    CONTENT_DIR: 'content',
    RATE_LIMIT_PER_MINUTE: '1000000',
    POST_LIMIT_PER_MINUTE: '1000000',
    LIVE_CONNECTS_PER_MINUTE: '1000000',
    LOG_LEVEL: 'error',
  };
  const servers = [];
  for (let i = 0; i < nodes; i++) servers.push(await startServerProcess(env));
  const seen = new Map<number, number[]>();
  const reqs: http.ClientRequest[] = [];
  try {
    const t0 = performance.now();
    for (let i = 0; i < CLIENTS; i++) reqs.push(await client(`${servers[i % nodes]!.url}/api/v1/articles/${articleId}/events`, seen));
    const connectMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    const everyone: number[] = [];
    const each: number[] = [];
    for (let n = 0; n < COMMENTS; n++) {
      const start = performance.now();
      const res = await fetch(`${servers[0]!.url}/api/v1/articles/${articleId}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `parley_session=${token}`, 'x-csrf-token': 'sse-csrf' },
        body: JSON.stringify({ body: `sse bench ${n}` }),
      });
      const id = ((await res.json()) as { comment: { id: number } }).comment.id;
      const deadline = Date.now() + 10_000;
      while ((seen.get(id)?.length ?? 0) < CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      const times = seen.get(id) ?? [];
      if (times.length < CLIENTS) throw new Error(`only ${times.length} of ${CLIENTS} clients saw comment ${id}`);
      everyone.push(Math.max(...times) - start);
      each.push(...times.map((t) => t - start));
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(
      `${label.padEnd(30)} ${CLIENTS} clients (connected in ${connectMs.toFixed(0)} ms), ${COMMENTS} comments: ` +
        `all clients saw it p50 ${pct(everyone, 50).toFixed(1)} ms, p99 ${pct(everyone, 99).toFixed(1)} ms; ` +
        `per delivery p50 ${pct(each, 50).toFixed(1)} ms, p99 ${pct(each, 99).toFixed(1)} ms`,
    );
  } finally {
    reqs.forEach((r) => r.destroy());
    for (const s of servers) await killHard(s.child);
  }
}

async function main() {
  console.log(`Parley SSE benchmark, node ${process.version}, ${new Date().toISOString()}`);
  const sqlite = join(mkdtempSync(join(tmpdir(), 'parley-sse-')), 'sse.db');
  await run('SQLite, one node', sqlite, 1);
  for (const nodes of [1, 2]) {
    const db = await freshDatabase('postgres');
    try {
      await run(`PostgreSQL, ${nodes} node${nodes > 1 ? 's' : ''}`, db.url, nodes);
    } finally {
      await db.drop();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
