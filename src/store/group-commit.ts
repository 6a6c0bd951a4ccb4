import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Most writes one transaction carries: enough to share a commit widely, few enough that none waits long. */
export const MAX_BATCH = 128;

interface Job<S> {
  work: (tx: S) => Promise<unknown>;
  /** What the write will lock (e.g. its author), for `begin` to take for the whole batch at once. */
  key: number | undefined;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** A write failed in a batch run without savepoints: the batch is rolled back and run again, isolated. */
class WriteFailed extends Error {
  constructor(readonly error: unknown) {
    super('a write of the batch failed');
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * PostgreSQL's deadlock and serialisation victims: the whole transaction is tried again (by the
 * store), so the batch gives up rather than carry on without the victim.
 */
export const retriedWhole = (err: unknown) => ['40P01', '40001'].includes((err as { code?: string }).code ?? '');

/**
 * Group commit: writes that arrive while a lane's writer is busy share its next transaction, so
 * one commit (one fsync) acknowledges many. No write is answered before the commit returns: a
 * failed commit fails every write of the batch, and an error a write met is only told once the
 * batch it ran beside is committed, since that write may have read what the batch wrote. A lane
 * with nothing in progress starts at once, so an idle server adds no wait; the writes that queued
 * meanwhile go in the next transaction, at most MAX_BATCH of them.
 *
 * A batch first runs its writes with nothing between them: on PostgreSQL every statement is a
 * round trip that all the article's posts wait for, and a savepoint costs two. If one of them
 * fails (a refused post, a broken constraint), the whole transaction is rolled back and the batch
 * runs again with each write in its own savepoint, one after another, so the failing one takes
 * back only its own changes and reports only its own error. Writes must therefore be safe to run
 * twice until they commit, as they already are for the retries of a deadlock.
 *
 * With `sideBySide` (PostgreSQL), writes of different keys run at the same time (see `waves`):
 * their statements queue for the transaction's connection, so the database always has the next
 * one while the node works on the others. One after another, the connection sat idle while the
 * node prepared each next post, and a batch of 50 posts took 35–70 ms on a busy node.
 */
export class GroupCommit<S extends { db: Kysely<Database> }> {
  private readonly queues = new Map<string | number, Job<S>[]>();
  private readonly writers = new Set<Promise<void>>();

  /**
   * `transaction` runs its callback in one transaction, retried whole where `retriedWhole` says;
   * `begin` runs first in each, once for the batch (e.g. to lock what all its writes lock), with
   * the keys its writes were queued with and whether they run isolated (each in a savepoint, whose
   * rollback no memory of the batch's would see); `end` runs after its writes, before the commit
   * (e.g. to write what they left for the batch to write at once).
   */
  constructor(
    private readonly transaction: <T>(fn: (tx: S) => Promise<T>) => Promise<T>,
    private readonly maxBatch = MAX_BATCH,
    private readonly begin: (tx: S, lane: string | number, keys: number[], isolated: boolean) => Promise<void> = async () => {},
    private readonly end: (tx: S) => Promise<void> = async () => {},
    private readonly sideBySide = false,
  ) {}

  /** Runs `work` in the lane's next shared transaction; settles once that transaction has committed. */
  run<T>(lane: string | number, work: (tx: S) => Promise<T>, key?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = this.queues.get(lane);
      const job = { work, key, resolve: resolve as (v: unknown) => void, reject };
      if (queue) queue.push(job);
      else {
        this.queues.set(lane, [job]);
        const writer = this.drain(lane);
        this.writers.add(writer);
        void writer.finally(() => this.writers.delete(writer));
      }
    });
  }

  /**
   * Settles once every lane has written what was queued, including what queues meanwhile: a
   * shutting-down node waits for it before closing the database, so writes whose clients already
   * hung up are still committed (and answered to a retry with the same key) rather than cut off.
   */
  async settled(): Promise<void> {
    while (this.writers.size > 0) await Promise.allSettled([...this.writers]);
  }

  /** The lane's writer: one transaction after another while writes are waiting. */
  private async drain(lane: string | number): Promise<void> {
    const queue = this.queues.get(lane)!;
    while (queue.length > 0) {
      // better-sqlite3 answers synchronously, so a request runs from its arrival to its write
      // without letting another in. Yielding once to the event loop lets the requests that have
      // already arrived reach this queue first (microseconds when idle, not a timer).
      await new Promise((resolve) => setImmediate(resolve));
      await this.commit(lane, queue);
    }
    this.queues.delete(lane);
  }

  private async commit(lane: string | number, queue: Job<S>[]): Promise<void> {
    let batch: Job<S>[] | null = null;
    let outcomes: Outcome[] | null = null;
    for (let isolated = false; !outcomes; isolated = true) {
      try {
        outcomes = await this.transaction(async (tx) => {
          // Taken once the transaction has begun (SQLite's one connection may have been busy), so
          // what queued during the wait goes too; a retry runs the same batch again.
          batch ??= queue.splice(0, this.maxBatch);
          await this.begin(
            tx,
            lane,
            batch.flatMap((job) => (job.key === undefined ? [] : [job.key])),
            isolated,
          );
          const out = isolated ? await this.isolated(tx, batch) : await this.together(tx, batch);
          await this.end(tx);
          return out;
        });
      } catch (err) {
        // Only a write's own failure earns the second, isolated run: after a failed COMMIT the
        // batch may even have committed, and running it again could store it twice.
        if (err instanceof WriteFailed && !isolated) continue;
        for (const job of batch ?? queue.splice(0, this.maxBatch)) job.reject(err instanceof WriteFailed ? err.error : err);
        return;
      }
    }
    batch!.forEach((job, i) => {
      const o = outcomes![i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }

  /** The batch's writes without savepoints: any failure rolls the whole batch back (see the class). */
  private async together(tx: S, batch: Job<S>[]): Promise<Outcome[]> {
    const out: Outcome[] = [];
    if (!this.sideBySide) {
      for (const job of batch) out.push(await this.unguarded(tx, job));
      return out;
    }
    for (const wave of waves(batch.map((job) => job.key))) {
      const settled = await Promise.allSettled(wave.map((i) => this.unguarded(tx, batch[i]!)));
      // Every write of the wave has stopped before the batch gives up: none may send a statement
      // after the rollback, where it would run outside any transaction.
      const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
      if (errors.length) throw errors.find((e) => !(e instanceof WriteFailed)) ?? errors[0];
      wave.forEach((i, k) => (out[i] = (settled[k] as PromiseFulfilledResult<Outcome>).value));
    }
    return out;
  }

  private async unguarded(tx: S, job: Job<S>): Promise<Outcome> {
    try {
      return { ok: true, value: await job.work(tx) };
    } catch (error) {
      if (retriedWhole(error)) throw error;
      throw new WriteFailed(error);
    }
  }

  private async isolated(tx: S, batch: Job<S>[]): Promise<Outcome[]> {
    const out: Outcome[] = [];
    for (const job of batch) out.push(await this.one(tx, job));
    return out;
  }

  private async one(tx: S, job: Job<S>): Promise<Outcome> {
    await sql`savepoint group_commit`.execute(tx.db);
    try {
      const value = await job.work(tx);
      await sql`release savepoint group_commit`.execute(tx.db);
      return { ok: true, value };
    } catch (error) {
      if (retriedWhole(error)) throw error;
      // SQLite ends the whole transaction by itself on a full disk or an I/O error, and a lost
      // PostgreSQL connection has none left either: then the write's own error fails the batch.
      try {
        await sql`rollback to savepoint group_commit`.execute(tx.db);
        await sql`release savepoint group_commit`.execute(tx.db);
      } catch {
        throw error;
      }
      return { ok: false, error };
    }
  }
}

/**
 * Positions of a batch's writes in waves that may run side by side: the n-th write of each key
 * goes in the n-th wave, so one key's writes (one author's posts) still run one after another, in
 * the order they came. A write without a key waits for nothing.
 */
export function waves(keys: readonly (number | undefined)[]): number[][] {
  const out: number[][] = [];
  const seen = new Map<number, number>();
  keys.forEach((key, i) => {
    const n = key === undefined ? 0 : (seen.get(key) ?? 0);
    if (key !== undefined) seen.set(key, n + 1);
    (out[n] ??= []).push(i);
  });
  return out;
}
