/**
 * Comment posts per second into one article from many subscribers at once: what group commit
 * (src/store/group-commit.ts) is for. Used by bench/run.ts for its table; run alone it measures
 * only this, on a fresh database per dialect:
 *
 *   BENCH_DB=sqlite,postgres BENCH_SECONDS=10 npx tsx bench/posts.ts
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { hashToken } from '../src/services/accounts.js';
import { connect } from '../src/store/connect.js';
import { blankArticle, Store } from '../src/store/store.js';
import { freshDatabase } from '../tests/support/databases.js';
import { killHard, startServerProcess } from '../tests/support/process.js';

/** Subscribers posting at once, and the connections they post over. */
export const POSTERS = 50;
export const POST_CONNECTIONS = 100;

export interface Poster {
  cookie: string;
  csrf: string;
}

/** `n` established subscribers with a session each (new accounts are slowed down by the posting rules). */
export async function createPosters(store: Store, n: number): Promise<Poster[]> {
  const now = new Date();
  const out: Poster[] = [];
  for (let i = 0; i < n; i++) {
    const user = await store.users.ensure(`poster${i}@example.com`, `Poster ${i}`, new Date(now.getTime() - 90 * 86400_000));
    await store.billing.putEntitlement({ userId: user.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now });
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    await store.users.createSession(hashToken(token), user.id, csrf, now, new Date(now.getTime() + 86400_000));
    out.push({ cookie: `parley_session=${token}`, csrf });
  }
  return out;
}

/**
 * autocannon options: every request a new comment (the duplicate rule refuses repeats) by the next
 * poster in turn; `acked` collects the ids that answers with 201 gave, for `lost`.
 */
export function postRequests(
  base: string,
  articleId: number,
  posters: Poster[],
  connections = POST_CONNECTIONS,
): { options: autocannon.Options; acked: number[] } {
  let n = 0;
  const run = randomBytes(3).toString('hex');
  const acked: number[] = [];
  const options: autocannon.Options = {
    url: `${base}/api/v1/articles/${articleId}/comments`,
    connections,
    method: 'POST',
    requests: [
      {
        setupRequest: (req) => {
          const p = posters[n % posters.length]!;
          return {
            ...req,
            headers: { 'content-type': 'application/json', cookie: p.cookie, 'x-csrf-token': p.csrf },
            body: JSON.stringify({ body: `Bench post ${run}-${n++} with *emphasis*.` }),
          };
        },
        onResponse: (status, body) => {
          if (status === 201) acked.push((JSON.parse(body) as { comment: { id: number } }).comment.id);
        },
      },
    ],
  };
  return { options, acked };
}

/** How many acknowledged comments the database does not hold (checked after the server was killed -9). */
export async function lost(url: string, articleId: number, acked: readonly number[]): Promise<number> {
  const conn = connect(url);
  try {
    const rows = await conn.db.selectFrom('comments').select('id').where('article_id', '=', articleId).execute();
    const stored = new Set(rows.map((r) => Number(r.id)));
    return acked.filter((id) => !stored.has(id)).length;
  } finally {
    await conn.close();
  }
}

/** CPU seconds a process has used so far (user + system), from /proc; null where there is none. */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function pin(pid: number, core: number): boolean {
  if (cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Standalone: posts/s on each database, nothing else. */
async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const pinned = pin(process.pid, 0);
  for (const dialect of (process.env.BENCH_DB ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[]) {
    const db =
      dialect === 'sqlite' ? { url: join(mkdtempSync(join(tmpdir(), 'parley-bench-')), 'bench.db'), drop: async () => {} } : await freshDatabase('postgres');
    let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
    try {
      // The server migrates the database as it starts; the article and posters go in after.
      server = await startServerProcess({ DATABASE_URL: db.url, RATE_LIMIT_PER_MINUTE: '100000000', POST_LIMIT_PER_MINUTE: '100000000' });
      const conn = connect(db.url);
      const store = new Store(conn.db, conn.dialect);
      const now = new Date();
      const article = await store.articles.upsert(blankArticle({ slug: 'posts', title: 'Posts', publishedAt: now, body: 'Posts.' }), now);
      const posters = await createPosters(store, POSTERS);
      await conn.close();
      const serverPinned = pin(server.child.pid!, 1);
      const { options, acked } = postRequests(server.url, article.id, posters);
      const cpu0 = cpuSeconds(server.child.pid!);
      const r = await autocannon({ duration: seconds, ...options });
      const cpu = cpuSeconds(server.child.pid!)! - cpu0!;
      // Killed before the check: what it acknowledged must be on disk, not in its memory.
      await killHard(server.child);
      console.log(
        `${dialect}: ${r.requests.average.toFixed(0)} posts/s (${acked.length} acknowledged, ${await lost(db.url, article.id, acked)} lost, ${r.non2xx + r.errors + r.timeouts} errors), ` +
          `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, server CPU ${((cpu * 1000) / acked.length).toFixed(2)} ms per post; ${POSTERS} subscribers over ${POST_CONNECTIONS} connections, ${seconds} s, ` +
          `${pinned && serverPinned ? 'client core 0, server core 1' : 'NOT pinned'}, load average ${loadavg()[0]!.toFixed(1)}`,
      );
    } finally {
      if (server) await killHard(server.child);
      await db.drop();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
