import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';
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
}
