/**
 * Import benchmark: writes a Disqus export of N comments to disk (streamed, so the generator
 * itself stays small), imports it into a new SQLite (or, with --postgres, PostgreSQL) database,
 * and prints comments/s and the peak resident memory.
 *
 *   npx tsx bench/import.ts [comments=1000000] [--postgres] [--keep]
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDisqus } from '../src/services/import/disqus.js';
import { progressBar } from '../src/services/import/progress.js';
import { connect } from '../src/store/connect.js';
import { freshDatabase } from '../tests/support/databases.js';
import { migrate } from '../src/store/migrate.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const WORDS =
  'the night train to vienna leaves at nine and arrives before breakfast with a dining car sleepers couchettes timetable fares rail europe border station platform delay signal track junction coffee'.split(
    ' ',
  );
const EXTRAS = ['👋🏽', '🚂', 'ünïcödé', '日本語', '&amp;', '&lt;3', '—', '“quoted”'];

interface Post {
  id: number;
  thread: number;
  parent: number | null;
  at: number;
}

async function generate(file: string, n: number): Promise<void> {
  const rand = rng(42);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const perThread = 20;
  const threads = Math.ceil(n / perThread);
  const start = Date.parse('2015-01-01T00:00:00Z');
  const step = Math.floor((10 * 365 * 86400_000) / n);
  await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');
  await write('  <category dsq:id="1"><forum>bench</forum><title>General</title><isDefault>true</isDefault></category>\n');
  for (let t = 1; t <= threads; t++) {
    await write(
      `  <thread dsq:id="${t}"><id/><forum>bench</forum><category dsq:id="1"/><link>https://news.example.com/${2015 + Math.floor((t / threads) * 10)}/story-${t}/</link><title>Story number ${t} &amp; its readers</title><message/><createdAt>${new Date(start + (t / threads) * 10 * 365 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z')}</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`,
    );
  }
  // Posts come roughly in time order, threads interleaved: a window of open threads gets the next post.
  const window: { thread: number; posts: number[]; left: number }[] = [];
  let nextThread = 1;
  let held: Post | null = null;
  const emit = async (p: Post) => {
    const words = Array.from({ length: 20 + Math.floor(rand() * 40) }, () => pick(WORDS));
    words.splice(Math.floor(rand() * words.length), 0, pick(EXTRAS));
    const half = Math.floor(words.length / 2);
    const html = `<p>${words.slice(0, 6).join(' ')} <b>${words[6]}</b> ${words.slice(7, half).join(' ')}</p><p>${words.slice(half).join(' ')} <a href="https://example.org/${p.id}" rel="nofollow noopener">a link</a></p>`;
    const user = Math.floor(rand() * 100_000);
    const guest = rand() < 0.05;
    const spam = rand() < 0.015;
    const deleted = !spam && rand() < 0.015;
    const author = guest
      ? `<author><name>Guest ${user}</name><isAnonymous>true</isAnonymous></author>`
      : `<author><email>reader${user}@example.com</email><name>Reader ${user}</name><isAnonymous>false</isAnonymous><username>reader${user}</username></author>`;
    await write(
      `  <post dsq:id="${p.id}"><id/><message><![CDATA[${html}]]></message><createdAt>${new Date(p.at).toISOString().replace(/\.\d+Z$/, 'Z')}</createdAt><isDeleted>${deleted}</isDeleted><isSpam>${spam}</isSpam>${author}<ipAddress>192.0.2.1</ipAddress><thread dsq:id="${p.thread}"/>${p.parent ? `<parent dsq:id="${p.parent}"/>` : ''}</post>\n`,
    );
  };
  for (let i = 1; i <= n; i++) {
    while (window.length < 200 && nextThread <= threads) window.push({ thread: nextThread++, posts: [], left: perThread });
    const slot = Math.floor(rand() * window.length);
    const w = window[slot]!;
    const parent = w.posts.length > 0 && rand() < 0.4 ? w.posts[Math.floor(rand() * w.posts.length)]! : null;
    const post: Post = { id: 1_000_000_000 + i, thread: w.thread, parent, at: start + i * step };
    w.posts.push(post.id);
    if (--w.left === 0) window.splice(slot, 1);
    // One post in 500 is exported after the reply that answers it.
    if (held) {
      const p = held;
      held = null;
      if (post.thread === p.thread) post.parent = p.id;
      await emit(post);
      await emit(p);
      continue;
    }
    if (rand() < 0.002 && i < n) {
      held = post;
      continue;
    }
    await emit(post);
  }
  if (held) await emit(held);
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
}

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const keep = args.includes('--keep');
const postgres = args.includes('--postgres');
const dir = mkdtempSync(join(tmpdir(), 'parley-import-bench-'));
const file = join(dir, 'disqus.xml');
const dbFile = join(dir, 'parley.db');

let t = performance.now();
await generate(file, n);
const size = statSync(file).size;
process.stdout.write(
  `generated ${n.toLocaleString('en')} comments, ${(size / 1e6).toFixed(0)} MB, in ${((performance.now() - t) / 1000).toFixed(1)} s (peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)\n`,
);

const db = postgres ? await freshDatabase('postgres') : { url: dbFile, drop: async () => {} };
const conn = connect(db.url);
await migrate(conn);
t = performance.now();
const report = await importDisqus(conn.db, file, { progress: progressBar(size) });
const secs = (performance.now() - t) / 1000;
await conn.close();
const rss = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${[
    `imported ${report.comments.toLocaleString('en')} comments (+${report.placeholders} placeholders; skipped ${report.skipped.spam} spam, ${report.skipped.deleted} deleted) into ${report.articlesCreated.toLocaleString('en')} articles by ${report.usersCreated.toLocaleString('en')} authors`,
    `time ${secs.toFixed(1)} s · ${Math.round(report.comments / secs).toLocaleString('en')} comments/s · ${(size / 1e6 / secs).toFixed(1)} MB/s of XML`,
    `peak RSS ${rss.toFixed(0)} MB${postgres ? ' · PostgreSQL' : ` · database ${(statSync(dbFile).size / 1e6).toFixed(0)} MB`}`,
  ].join('\n')}\n`,
);
if (keep) process.stdout.write(`kept ${dir}${postgres ? ` and ${db.url}` : ''}\n`);
else {
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
}
