/**
 * Run by tests/security/import.test.ts in a process of its own (with --expose-gc), so that what
 * it measures is the import and nothing else:
 *
 *   node --expose-gc --import tsx tests/security/import-memory-child.ts wordpress|disqus FILE DATABASE_URL
 *
 * Prints one JSON line: the resident set before the import and at its peak, and the most live
 * heap and the most memory held outside it (Buffers, after a full collection) seen at any tenth
 * of the file. The resident set's peak also counts garbage not yet collected, so it moves with
 * the machine's load; what is live after a collection does not.
 */
import { statSync } from 'node:fs';
import { importDisqus } from '../../src/services/import/disqus.js';
import type { Progress } from '../../src/services/import/progress.js';
import { importWordPress } from '../../src/services/import/wordpress.js';
import { connect } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';

const [kind, file, url] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !file || !url) throw new Error('usage: node --expose-gc --import tsx import-memory-child.ts wordpress|disqus FILE DATABASE_URL');

const size = statSync(file).size;
const conn = connect(url);
await migrate(conn);
gc();
const { rss: rssBefore, heapUsed: heapBefore, external: externalBefore } = process.memoryUsage();
let liveHeapMax = heapBefore;
let liveExternalMax = externalBefore;
let tenth = 0;
const progress: Progress = {
  update(done) {
    const t = Math.floor((done / size) * 10);
    if (t <= tenth) return;
    tenth = t;
    gc();
    const now = process.memoryUsage();
    liveHeapMax = Math.max(liveHeapMax, now.heapUsed);
    liveExternalMax = Math.max(liveExternalMax, now.external);
  },
  finish() {},
};
const started = performance.now();
const report = kind === 'disqus' ? await importDisqus(conn.db, file, { progress }) : await importWordPress(conn.db, file, { progress });
const seconds = (performance.now() - started) / 1000;
await conn.close();
process.stdout.write(
  `${JSON.stringify({ size, rssBefore, peakRss: process.resourceUsage().maxRSS * 1024, heapBefore, liveHeapMax, externalBefore, liveExternalMax, seconds, comments: report.comments, skipped: report.skipped })}\n`,
);
