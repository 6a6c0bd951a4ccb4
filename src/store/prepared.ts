import { type CompiledQuery, type Kysely, PostgresAdapter } from 'kysely';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';

/** Where one of a prepared query's values goes: what its builder is given instead of the value. */
class Slot {
  constructor(readonly name: string) {}
  // A builder that computes with a value, or writes it into the SQL text, would bake the first
  // call's stand-in into every later call: that must fail when the query is first built.
  toString(): never {
    throw new Error(`prepared query: the value "${this.name}" may only be passed to the builder, not computed with or written into SQL`);
  }
  valueOf(): never {
    return this.toString();
  }
  [Symbol.toPrimitive](): never {
    return this.toString();
  }
}

const slots = new Proxy(
  {},
  {
    get: (_target, name) => (typeof name === 'string' ? new Slot(name) : undefined),
  },
);

/**
 * A query whose shape never depends on its values, built and compiled once per connection and
 * then run with each call's values in place of its parameters. Building a query costs more than
 * running it on SQLite: Kysely's builders and compiler took 15% of a post's CPU, most of it on the
 * same five statements (issue 12). The builder is handed stand-ins, never the values, so no
 * value can change the SQL it makes; a builder that tries (compares, formats or adds one) fails on
 * its first call. Values that do pick a different statement (a different `in` list, an optional
 * filter) call for one prepared query per shape, or for the plain builder.
 *
 * kysely-params does the same, but it depends on Kysely 0.24 (this project has 0.28) and has not
 * been released since 2024; the mechanism is this one class.
 */
export class Prepared<P extends Record<string, unknown>, R> {
  /** By the handle's adapter: one per database connection, a transaction's included. */
  private readonly compiled = new WeakMap<object, CompiledQuery<R>>();

  /** A query builder, or a raw `sql` query (which is compiled with the handle it will run on). */
  constructor(private readonly build: (db: Kysely<Database>, values: P, dialect: Dialect) => { compile(db: Kysely<Database>): CompiledQuery<R> }) {}

  /** The compiled query with `values` in place, for `db.executeQuery`. */
  query(db: Kysely<Database>, values: P): CompiledQuery<R> {
    const adapter = db.getExecutor().adapter;
    let c = this.compiled.get(adapter);
    if (!c) {
      c = this.build(db, slots as P, adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite').compile(db);
      const missing = c.parameters.filter((v) => v instanceof Slot && !(v.name in values)).map((v) => (v as Slot).name);
      if (missing.length) throw new Error(`prepared query: no value for ${missing.join(', ')}`);
      this.compiled.set(adapter, c);
    }
    return { ...c, parameters: c.parameters.map((v) => (v instanceof Slot ? values[v.name] : v)) };
  }

  async rows(db: Kysely<Database>, values: P): Promise<R[]> {
    return (await db.executeQuery(this.query(db, values))).rows;
  }

  /** The one row a write's `returning` gives. */
  async one(db: Kysely<Database>, values: P): Promise<R> {
    const [row] = await this.rows(db, values);
    if (row === undefined) throw new Error('prepared query: no row returned');
    return row;
  }
}

/**
 * The values of `keys` as an object, for an insert's `.values()`: the stand-ins a builder is
 * given list no keys of their own.
 */
export function valuesOf<P extends Record<string, unknown>, K extends keyof P & string>(values: P, keys: readonly K[]): Pick<P, K> {
  return Object.fromEntries(keys.map((k) => [k, values[k]])) as Pick<P, K>;
}

/** `prepare<Values>()(build)`: a Prepared whose rows' type is the one `build`'s query gives. */
export const prepare =
  <P extends Record<string, unknown>>() =>
  <R>(build: (db: Kysely<Database>, values: P, dialect: Dialect) => { compile(db: Kysely<Database>): CompiledQuery<R> }): Prepared<P, R> =>
    new Prepared(build);
