/**
 * How big the first page of each sort is on a generated 100,000-comment thread (bytes of JSON,
 * threads, replies): explains why one sort reads slower than another in bench/run.ts.
 *
 *   npx tsx bench/page-sizes.ts
 */
import { startParley } from '../tests/support/harness.js';
import { generateThread } from './generate.js';
const p = await startParley('sqlite');
const authors: number[] = [];
for (let i = 0; i < 50; i++) authors.push((await p.store.users.ensure(`b${i}@example.com`, `B ${i}`, new Date())).id);
const t = await generateThread(p.store, 'big', 100000, authors);
for (const sort of ['top', 'newest', 'oldest']) {
  const r = await p.app.inject({ method: 'GET', url: `/api/v1/articles/${t.articleId}/comments?sort=${sort}` });
  const j = r.json() as { threads: { replies: unknown[] }[] };
  console.log(
    sort,
    r.body.length,
    'bytes',
    j.threads.length,
    'threads',
    j.threads.reduce((n, x) => n + x.replies.length, 0),
    'replies',
  );
}
await p.dispose();
