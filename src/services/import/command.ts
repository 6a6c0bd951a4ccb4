import { stat } from 'node:fs/promises';
import { messages } from '../../messages.js';
import { connect } from '../../store/connect.js';
import { migrate } from '../../store/migrate.js';
import { exportJson } from '../export.js';
import { importDisqus } from './disqus.js';
import { importParley } from './parley.js';
import { progressBar } from './progress.js';
import { importWordPress } from './wordpress.js';

export const IMPORT_KINDS = ['disqus', 'wordpress', 'parley'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** `parley import KIND FILE`: brings the schema up to date, imports, and returns the summary to print. */
export async function importCommand(databaseUrl: string, kind: ImportKind, file: string, maxLength: number): Promise<string> {
  const size = (await stat(file)).size;
  const conn = connect(databaseUrl);
  const started = performance.now();
  const secs = () => (performance.now() - started) / 1000;
  try {
    await migrate(conn);
    const progress = progressBar(size, { unit: kind === 'parley' ? messages.importer.units.records : messages.importer.units.comments });
    if (kind === 'parley') {
      const r = await importParley(conn.db, conn.dialect, file, { progress });
      return messages.importer.restored(r.counts, secs());
    }
    const opts = { progress, maxLength };
    const report = kind === 'disqus' ? await importDisqus(conn.db, file, opts) : await importWordPress(conn.db, file, opts);
    return messages.importer.summary(report, secs());
  } finally {
    await conn.close();
  }
}

/** `parley export --format json FILE`. */
export async function exportCommand(databaseUrl: string, file: string): Promise<string> {
  const conn = connect(databaseUrl);
  const started = performance.now();
  try {
    await migrate(conn);
    const r = await exportJson(conn.db, conn.dialect, file);
    return messages.importer.exported(r.counts, file, (performance.now() - started) / 1000);
  } finally {
    await conn.close();
  }
}
