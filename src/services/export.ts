import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Dialect } from '../store/connect.js';
import * as bulk from '../store/bulk.js';
import type { Database } from '../store/schema.js';

export const EXPORT_FORMAT = 'parley-export';
export const EXPORT_VERSION = 1;

export interface ExportSpec {
  /** The record's `type` in the file. */
  type: string;
  table: bulk.ExportTable;
  /** Unique key, in the order rows are written. */
  key: string[];
  /** Rows left out: secrets that belong to one installation, not to the publication's data. */
  exclude?: { column: string; notIn: string[] };
}

/**
 * What an export holds, in an order that restores without breaking a reference: people and
 * articles first, then what points at them. Sessions, sign-in links, the mail outbox, live
 * events and Stripe's idempotency log are working state of one installation and stay behind.
 */
export const EXPORT_TABLES: readonly ExportSpec[] = [
  { type: 'user', table: 'users', key: ['id'] },
  { type: 'article', table: 'articles', key: ['id'] },
  { type: 'entitlement', table: 'entitlements', key: ['id'] },
  { type: 'stripe_customer', table: 'stripe_customers', key: ['customer_id'] },
  { type: 'comment', table: 'comments', key: ['id'] },
  { type: 'revision', table: 'comment_revisions', key: ['id'] },
  { type: 'vote', table: 'votes', key: ['comment_id', 'user_id'] },
  { type: 'follow', table: 'follows', key: ['id'] },
  { type: 'report', table: 'reports', key: ['id'] },
  { type: 'audit', table: 'audit_log', key: ['id'] },
  { type: 'article_read', table: 'article_reads', key: ['user_id', 'month', 'article_id'] },
  // The reading meter's signing key is this installation's secret; a restored site makes its own.
  { type: 'setting', table: 'settings', key: ['key'], exclude: { column: 'key', notIn: ['secret_key'] } },
];

/** One line of the file: `type` first, then the row's columns in name order, so output is stable across dialects. */
export function recordLine(type: string, row: Record<string, unknown>): string {
  const out: Record<string, unknown> = { type };
  for (const k of Object.keys(row).sort()) {
    const v = row[k];
    out[k] = typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : v;
  }
  return JSON.stringify(out);
}

export interface ExportResult {
  counts: Record<string, number>;
}

/**
 * Writes the whole publication as NDJSON (one JSON object per line, each with a `type`), read in
 * pages from one consistent snapshot so a live site can be exported while it runs.
 */
export async function exportJson(db: Kysely<Database>, dialect: Dialect, file: string): Promise<ExportResult> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await Promise.race([once(out, 'drain'), failed]);
  };
  const counts: Record<string, number> = {};
  const run = async (trx: Kysely<Database>) => {
    await write(JSON.stringify({ type: 'header', format: EXPORT_FORMAT, version: EXPORT_VERSION, migrations: await bulk.appliedMigrations(trx) }));
    for (const spec of EXPORT_TABLES) {
      counts[spec.type] = 0;
      let after: unknown[] | null = null;
      for (;;) {
        const rows = await bulk.pageOf(trx, spec.table, spec.key, after, 1000, spec.exclude);
        for (const r of rows) await write(recordLine(spec.type, r));
        counts[spec.type]! += rows.length;
        if (rows.length < 1000) break;
        const last = rows.at(-1)!;
        after = spec.key.map((k) => last[k]);
      }
    }
  };
  try {
    const tx = db.transaction();
    await (dialect === 'postgres' ? tx.setIsolationLevel('repeatable read') : tx).execute(run);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (err) {
    out.destroy();
    throw err;
  }
  return { counts };
}
