import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import { messages } from '../../messages.js';
import type { Dialect } from '../../store/connect.js';
import * as bulk from '../../store/bulk.js';
import type { Database } from '../../store/schema.js';
import { EXPORT_FORMAT, EXPORT_TABLES, type ExportSpec } from '../export.js';
import { silentProgress, type Progress } from './progress.js';
import { ImportError } from './xml.js';

const COLUMN = /^[a-z_][a-z0-9_]{0,62}$/;
// SQLite allows 32,766 bound values per statement, PostgreSQL 65,535.
const MAX_VALUES = 30_000;

export interface RestoreResult {
  counts: Record<string, number>;
}

/**
 * Restores a `parley export` into an empty database, ids and all, in one transaction. A comment
 * that names a parent later in the file (never in Parley's own exports) gets its parent once
 * that row is in.
 */
export async function importParley(db: Kysely<Database>, dialect: Dialect, file: string, opts: { progress?: Progress } = {}): Promise<RestoreResult> {
  const progress = opts.progress ?? silentProgress;
  const total = (await stat(file)).size;
  const byType = new Map(EXPORT_TABLES.map((s) => [s.type, s]));
  const counts: Record<string, number> = {};
  const work = async (trx: Kysely<Database>) => {
    if (!(await bulk.isEmpty(trx))) throw new ImportError(null, messages.importer.notEmpty);
    const local = new Set(await bulk.appliedMigrations(trx));
    const input = createReadStream(file, { encoding: 'utf8' });
    const lines = createInterface({ input, crlfDelay: Infinity });
    let lineNo = 0;
    let bytes = 0;
    let rows = 0;
    let batch: { spec: ExportSpec; rows: Record<string, unknown>[]; from: number; columns: string; width: number } | null = null;
    const forward: { id: number; parent: unknown; root: unknown }[] = [];
    const flush = async () => {
      if (!batch || batch.rows.length === 0) return;
      const b = batch;
      batch = null;
      try {
        await bulk.insertRows(trx, b.spec.table, b.rows, b.spec.table === 'settings' ? 'key' : undefined);
      } catch (err) {
        const where = b.rows.length === 1 ? b.from : `${b.from}–${b.from + b.rows.length - 1}`;
        throw new ImportError(null, `line ${where}: ${messages.importer.rejectedRow(b.spec.type, (err as Error).message)}`);
      }
      counts[b.spec.type] = (counts[b.spec.type] ?? 0) + b.rows.length;
    };
    try {
      for await (const line of lines) {
        lineNo++;
        bytes += Buffer.byteLength(line) + 1;
        if (line.trim() === '') continue;
        let rec: unknown;
        try {
          rec = JSON.parse(line);
        } catch (err) {
          throw new ImportError(lineNo, messages.importer.badJson((err as Error).message));
        }
        if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new ImportError(lineNo, messages.importer.badJson(typeof rec));
        const { type, ...row } = rec as Record<string, unknown>;
        if (lineNo === 1) {
          const h = rec as { type?: unknown; format?: unknown; migrations?: unknown };
          if (type !== 'header' || h.format !== EXPORT_FORMAT || !Array.isArray(h.migrations)) throw new ImportError(1, messages.importer.notParleyExport);
          const newer = (h.migrations as unknown[]).filter((m) => typeof m !== 'string' || !local.has(m));
          if (newer.length) throw new ImportError(1, messages.importer.newerExport(newer.join(', ')));
          continue;
        }
        const spec = typeof type === 'string' ? byType.get(type) : undefined;
        if (!spec) throw new ImportError(lineNo, messages.importer.unknownType(String(type)));
        for (const k of Object.keys(row)) if (!COLUMN.test(k)) throw new ImportError(lineNo, messages.importer.badJson(`"${k}"`));
        if (spec.table === 'comments') {
          const id = Number(row.id);
          // A reference to a row not yet written is set once the file has been read.
          if ((row.parent_id != null && Number(row.parent_id) >= id) || (row.root_id != null && Number(row.root_id) >= id)) {
            forward.push({ id, parent: row.parent_id, root: row.root_id });
            row.parent_id = null;
            row.root_id = null;
          }
        }
        // One statement per run of rows with the same columns, within the databases' limits.
        const keys = Object.keys(row).sort();
        const columns = keys.join(',');
        const width = Math.max(1, keys.length);
        if (batch && (batch.spec !== spec || batch.columns !== columns || (batch.rows.length + 1) * width > MAX_VALUES || batch.rows.length >= 500))
          await flush();
        batch ??= { spec, rows: [], from: lineNo, columns, width };
        batch.rows.push(row);
        if (++rows % 1000 === 0) progress.update(bytes, rows);
      }
      if (lineNo === 0) throw new ImportError(null, messages.importer.notParleyExport);
      await flush();
      for (const f of forward) await bulk.setCommentRefs(trx, f.id, f.parent == null ? null : Number(f.parent), f.root == null ? null : Number(f.root));
      await bulk.resetSequences(
        trx,
        dialect,
        EXPORT_TABLES.filter((s) => s.key.length === 1 && s.key[0] === 'id').map((s) => s.table),
      );
      progress.update(total, rows);
    } finally {
      lines.close();
      input.destroy();
    }
  };
  try {
    if (db.isTransaction) await work(db);
    else await db.transaction().execute(work);
  } finally {
    progress.finish();
  }
  return { counts };
}
