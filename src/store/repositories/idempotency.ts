import { sql } from 'kysely';
import { Repository } from './repository.js';

/** Namespace of the PostgreSQL advisory locks that serialise one author's posts. */
const AUTHOR_POSTS_LOCK = 0x7061726c; // 'parl'

/** What a keyed write answered: a hash of what it asked, the HTTP status and the JSON body. */
export interface IdempotentAnswer {
  fingerprint: string;
  status: number;
  response: string;
}

/** Keyed writes: one author's posts one at a time, and the answers recorded for their keys. */
export class IdempotencyRepository extends Repository {
  /** Authors whose posting lock this transaction took up front (tryLockAuthors). */
  private readonly held = new Set<number>();

  /**
   * Takes for this transaction, in one round trip, the posting locks of those among `userIds`
   * that nobody else holds; lockAuthorPosts then finds them held and waits only for the others.
   * Taken outside any savepoint, so no write rolled back to one gives them up. Answers those
   * among `userIds` whose lock the transaction now holds (none on SQLite, which needs none).
   */
  async tryLockAuthors(userIds: readonly number[]): Promise<number[]> {
    const asked = [...new Set(userIds)];
    if (this.dialect !== 'postgres') return [];
    const fresh = asked.filter((id) => !this.held.has(id));
    if (fresh.length > 0) {
      const { rows } = await sql<{
        id: number;
        ok: boolean;
      }>`select id, pg_try_advisory_xact_lock(${AUTHOR_POSTS_LOCK}::int, (id % 2147483647)::int) as ok from unnest(${fresh}::bigint[]) as id`.execute(this.db);
      for (const r of rows) if (r.ok) this.held.add(Number(r.id));
    }
    return asked.filter((id) => this.held.has(id));
  }

  /**
   * Makes one author's posts run one after another until this transaction ends, so what a post
   * checks (a duplicate, an idempotency key) cannot change before it commits. PostgreSQL takes a
   * transaction-scoped advisory lock, not a row lock: `FOR UPDATE` on the user row would also block
   * the key-share locks that every foreign key to it takes (their votes, follows). SQLite needs
   * nothing: Kysely runs its one connection's transactions one at a time, and a transaction that
   * has begun cannot be overtaken. Returns false if the lock was not had within `waitMs`; the
   * transaction is then unusable and must be abandoned.
   */
  async lockAuthorPosts(userId: number, waitMs: number): Promise<boolean> {
    if (this.dialect !== 'postgres' || this.held.has(userId)) return true;
    // Usually nobody holds it: one round trip then, instead of setting and restoring lock_timeout around a wait.
    const { rows: tried } = await sql<{
      ok: boolean;
    }>`select pg_try_advisory_xact_lock(${AUTHOR_POSTS_LOCK}::int, ${userId % 2_147_483_647}::int) as ok`.execute(this.db);
    if (tried[0]?.ok) return true;
    // Two-int form: a namespace of Parley's own, and the id folded into int4 (a collision only
    // makes two authors wait for each other).
    const { rows } = await sql<{
      prev: string;
    }>`select current_setting('lock_timeout') as prev, set_config('lock_timeout', ${`${Math.max(1, Math.round(waitMs))}ms`}, true)`.execute(this.db);
    try {
      await sql`select pg_advisory_xact_lock(${AUTHOR_POSTS_LOCK}::int, ${userId % 2_147_483_647}::int)`.execute(this.db);
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return false;
      throw err;
    }
    await sql`select set_config('lock_timeout', ${rows[0]!.prev}, true)`.execute(this.db);
    return true;
  }

  /** The answer recorded for this reader's key, if recorded since `since` (older keys have expired). */
  async answer(userId: number, key: string, since: Date): Promise<IdempotentAnswer | null> {
    const r = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status', 'response'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .where('created_at', '>=', since.getTime())
      .executeTakeFirst();
    return r ? { fingerprint: r.fingerprint, status: Number(r.status), response: r.response } : null;
  }

  /** Records the answer to a keyed write, in the caller's transaction; an expired row is replaced. */
  async saveAnswer(userId: number, key: string, a: IdempotentAnswer, now: Date): Promise<void> {
    const values = { fingerprint: a.fingerprint, status: a.status, response: a.response, created_at: now.getTime() };
    await this.db
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doUpdateSet(values))
      .execute();
  }

  /** Forgets keys recorded before `before`; returns how many. For a periodic job. */
  async prune(before: Date): Promise<number> {
    const r = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', before.getTime()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
