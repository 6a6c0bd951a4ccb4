/**
 * Page bytes. First the demo article page as a guest loads it (issue 12's target: ≤ 50 KB raw
 * HTML and state, ≤ 15 KB compressed), raw and as sent with br and with gzip, and how much of it
 * is the hydration state. Then how big the first page of each sort is on a generated
 * 100,000-comment thread (bytes of JSON, threads, replies): explains why one sort reads slower
 * than another in bench/run.ts.
 *
 *   npx tsx bench/page-sizes.ts          (both)
 *   npx tsx bench/page-sizes.ts demo     (the demo page only)
 */
import { DEMO_ARTICLE, seedDemo } from '../src/demo/seed.js';
import { startParley } from '../tests/support/harness.js';
import { generateThread } from './generate.js';

{
  const demo = await startParley('sqlite', { CONTENT_DIR: 'content' });
  await seedDemo(demo);
  const url = `/articles/${DEMO_ARTICLE}`;
  const sent = async (coding?: string) => (await demo.app.inject({ url, headers: coding ? { 'accept-encoding': coding } : {} })).rawPayload;
  const raw = (await sent()).toString('utf8');
  const state = /<script type="application\/json" id="parley-state">(.*?)<\/script>/s.exec(raw)?.[1] ?? '';
  const shown = raw.split('<article id="comment-').length - 1;
  const kb = (n: number) => `${n.toLocaleString('en')} B`;
  console.log(
    `demo page ${url} (guest, default sort, ${shown} comments shown): raw ${kb(Buffer.byteLength(raw))} (state ${kb(Buffer.byteLength(state))}), br ${kb((await sent('br')).length)}, gzip ${kb((await sent('gzip')).length)}`,
  );
  await demo.dispose();
}
if (process.argv[2] === 'demo') process.exit(0);

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
