import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';
import type { Prepared } from '../prepared.js';
import type { Database } from '../schema.js';

/**
 * What every repository is built from: a Kysely handle (the pool, or a transaction when the
 * repository came from `Store.transaction`) and the dialect, for the few queries that differ.
 */
export abstract class Repository {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly dialect: Dialect,
  ) {}

  /** Runs a prepared query (see prepared.ts) on this repository's handle. */
  protected prepared<P extends Record<string, unknown>, R>(query: Prepared<P, R>, values: P): Promise<R[]> {
    return query.rows(this.db, values);
  }

  /** The one row a prepared write returns (an error if none). */
  protected preparedOne<P extends Record<string, unknown>, R>(query: Prepared<P, R>, values: P): Promise<R> {
    return query.one(this.db, values);
  }
}
