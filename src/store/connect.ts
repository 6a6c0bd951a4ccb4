import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type PostgresPool, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { storageFault } from './faults.js';
import type { Database } from './schema.js';
import { STALE_PLAN, StatementNames } from './statement-names.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
  /** PostgreSQL's pool use, for /metrics; SQLite has no pool. */
  poolStats?: () => PoolStats;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

// int8 columns hold epoch milliseconds and ids, all far below 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

export interface ConnectOptions {
  poolSize?: number;
  /** Longest a statement may run; PostgreSQL cancels it server-side, the client gives up a little later. */
  statementTimeoutMs?: number;
  /** Longest a request waits for a pooled connection or a new one to open. */
  acquireTimeoutMs?: number;
  /** Told of every lost connection; the pool replaces it on the next checkout. */
  onConnectionError?: (err: Error) => void;
  /**
   * PostgreSQL: prepare the statements that repeat, once per connection (statement-names.ts).
   * Off for a pooler that cannot keep them, such as PgBouncer in transaction mode before 1.21.
   */
  preparedStatements?: boolean;
}

/** The ceiling of SQLite's page cache, in KiB (the server keeps one connection). */
export const SQLITE_CACHE_KIB = 64 * 1024;

/** Opens the database named by `url`: `postgres://...` or a SQLite file path (`:memory:` too). */
export function connect(url: string, opts: ConnectOptions = {}): Connection {
  const dialect = dialectOf(url);
  if (dialect === 'postgres') {
    const pool = resilientPool(url, opts);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect, close: () => db.destroy(), poolStats: pool.stats };
  }
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the writer. synchronous=FULL syncs the log at every commit, so an
  // acknowledged comment survives a power cut too, not only a killed process (NORMAL's promise);
  // it cost 17% of posting throughput here (897 -> 745 posts/s, bench/run.ts) until posts that
  // arrive together came to share one commit and its sync (group-commit.ts).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's own page cache is 2 MB by default; a post into a 1,000,000-comment thread touches
  // index and search pages spread over a much larger file, and re-reading them from the OS cost
  // CPU: 64 MB made such posts about 9% faster here (median of 5 A/B pairs). It is a ceiling, not
  // an allocation: a small database never fills it.
  sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect, close: () => db.destroy() };
}

/**
 * Kysely prepares every query afresh; preparing costs more than running our index-backed queries,
 * and the same few query shapes repeat forever, so compiled statements are kept by SQL text.
 * better-sqlite3 is synchronous, so a cached statement is never in use twice at once.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        cache.set(text, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

/** Marks a pooled client whose connection broke or stalled, so it is destroyed, not reused. */
const BROKEN = Symbol('parley.broken');
/** Whether the client is inside a transaction Kysely began (its `begin` until `commit`/`rollback`). */
const IN_TRANSACTION = Symbol('parley.inTransaction');
type TrackedClient = pg.PoolClient & { [BROKEN]?: boolean; [IN_TRANSACTION]?: boolean };

function noteTransaction(client: TrackedClient, text: string): void {
  if (text === 'begin' || text.startsWith('start transaction')) client[IN_TRANSACTION] = true;
  else if (text === 'commit' || text === 'rollback') client[IN_TRANSACTION] = false;
}

/**
 * A pg pool that no database fault can take the process down with. pg removes the pool's error
 * listener from a checked-out client, so a restart or `pg_terminate_backend` during a query
 * emitted an 'error' nobody heard, and Node ended the process (57P01). Every client here has its
 * own listener for its whole life; a client whose query failed on the connection (or timed out
 * on a frozen server, leaving the wire mid-query) is destroyed on release instead of being
 * handed to the next request; statements and checkouts are bounded so a request cannot hang.
 */
function resilientPool(url: string, opts: ConnectOptions): PostgresPool & { stats: () => PoolStats } {
  const statementMs = opts.statementTimeoutMs ?? 5000;
  const onError = opts.onConnectionError ?? (() => {});
  const names = opts.preparedStatements === false ? null : new StatementNames();
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.acquireTimeoutMs ?? 2000,
    statement_timeout: statementMs,
    // The server's timeout cannot fire on a frozen server; the client's can.
    query_timeout: statementMs + 1000,
    idle_in_transaction_session_timeout: statementMs * 2,
    keepAlive: true,
  });
  pool.on('error', onError);
  pool.on('connect', (client: TrackedClient) => {
    client.on('error', (err) => {
      client[BROKEN] = true;
      onError(err);
    });
  });
  return {
    async connect() {
      const client = (await pool.connect()) as TrackedClient;
      const release = client.release;
      const query = client.query;
      const tracked = Object.create(client) as pg.PoolClient;
      const send = query as (...a: unknown[]) => unknown;
      // Kysely calls query(text, values) and release on what we hand it; the real client stays the pool's.
      tracked.query = ((...args: unknown[]) => {
        const [text, values] = args;
        let name: string | undefined;
        if (typeof text === 'string') {
          noteTransaction(client, text);
          // Statements without values (begin, commit) go by the simple protocol, cheaper still.
          if (names && Array.isArray(values) && values.length > 0 && args.length === 2) name = names.nameOf(text);
        }
        const guarded = (out: unknown) =>
          out instanceof Promise
            ? out.catch((err: unknown) => {
                if (storageFault(err) === 'unavailable') client[BROKEN] = true;
                throw err;
              })
            : out;
        if (!name) return guarded(send.apply(client, args));
        return (send.call(client, { name, text, values }) as Promise<unknown>).catch((err: unknown) => {
          if ((err as { code?: string }).code === STALE_PLAN) {
            // Another node's migration changed a table under the prepared statement. Outside a
            // transaction nothing was done: send it again unnamed. Inside one, the transaction
            // is aborted and the store runs it again whole (store.ts), under new names.
            names!.forget();
            if (!client[IN_TRANSACTION]) return guarded(send.apply(client, args));
          }
          return guarded(Promise.reject(err));
        });
      }) as typeof query;
      tracked.release = (destroy?: boolean | Error) => {
        client[IN_TRANSACTION] = false;
        return release.call(client, destroy || client[BROKEN] ? true : undefined);
      };
      return tracked;
    },
    end: () => pool.end(),
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
