import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Runs a bounded delete until it comes back short; other queries get the database in between. */
export async function inBatches(batch: number, deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch();
    total += n;
    if (n < batch) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Ids grow with time, so rows older than `t` sit below the first newer row's id: bounding the
 * deletes by it keeps each batch a short walk of the primary key rather than a scan of every
 * recent row, there being no index on `created_at`.
 */
export async function firstIdSince(db: Kysely<Database>, table: 'events' | 'outbox', t: number): Promise<number | null> {
  const r = await db.selectFrom(table).select('id').where('created_at', '>=', t).orderBy('id').limit(1).executeTakeFirst();
  return r ? Number(r.id) : null;
}
