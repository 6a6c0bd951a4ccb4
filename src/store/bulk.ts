import { CompiledQuery, PostgresAdapter, sql, type Insertable, type Kysely } from 'kysely';
import type { Dialect } from './connect.js';
import { prepare, valuesOf } from './prepared.js';
import { type CommentsTable, type Database, NEW_COMMENT_COLUMNS } from './schema.js';

/*
 * Bulk operations for import and export. They take the Kysely handle (usually a transaction)
 * rather than a Store: they move many rows at a time and bypass the per-comment bookkeeping
 * of the Store (events, outbox, page caches), which an import settles once at its end.
 */

// ---- import of other systems' comments --------------------------------------------------------

export interface PlacedComment {
  id: number;
  rootId: number | null;
  depth: number;
  articleId: number;
}

export async function hasImported(db: Kysely<Database>, source: string): Promise<boolean> {
  const r = await db.selectFrom('comments').select('id').where('import_source', '=', source).limit(1).executeTakeFirst();
  return r !== undefined;
}

/*
 * The statements an import runs once per comment are prepared once (prepared.ts): building them
 * with Kysely's query builder costs more time than SQLite takes to run them.
 */
const IMPORTED_COLUMNS = [...NEW_COMMENT_COLUMNS, 'rank_score', 'pinned', 'locked', 'import_source', 'import_id'] as const;
export type ImportedCommentRow = { [K in (typeof IMPORTED_COLUMNS)[number]]-?: Exclude<Insertable<CommentsTable>[K], undefined> };

/*
 * Statements written out as text, for the import's scratch tables (below): temporary tables that
 * the schema's types, and so Kysely's builder, do not know.
 */
const texts = new WeakMap<object, Map<string, string>>();
/** `?` placeholders become `$1, $2...` on PostgreSQL; the result is cached per dialect. */
function statement(db: Kysely<Database>, text: string): string {
  const adapter = db.getExecutor().adapter;
  let cache = texts.get(adapter);
  if (!cache) texts.set(adapter, (cache = new Map()));
  let out = cache.get(text);
  if (out === undefined) {
    let i = 0;
    out = adapter instanceof PostgresAdapter ? text.replace(/\?/g, () => `$${++i}`) : text;
    cache.set(text, out);
  }
  return out;
}

async function run<R>(db: Kysely<Database>, text: string, params: unknown[]): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(statement(db, text), params))).rows;
}

const findImportedComment = prepare<{ source: string; id: string }>()((db, p) =>
  db.selectFrom('comments').select(['id', 'root_id', 'depth', 'article_id']).where('import_source', '=', p.source).where('import_id', '=', p.id),
);
/** A comment already imported from `source`, by its id there. */
export async function findImported(db: Kysely<Database>, source: string, id: string): Promise<PlacedComment | null> {
  const [r] = await findImportedComment.rows(db, { source, id });
  return r ? { id: Number(r.id), rootId: r.root_id === null ? null : Number(r.root_id), depth: r.depth, articleId: Number(r.article_id) } : null;
}

const insertImported = prepare<ImportedCommentRow>()((db, p) =>
  db
    .insertInto('comments')
    .values(valuesOf(p, IMPORTED_COLUMNS))
    // The unique index holds imported comments only (migration 018): the target names its condition.
    .onConflict((oc) => oc.columns(['import_source', 'import_id']).where('import_source', 'is not', null).doNothing())
    .returning('id'),
);
/** Inserts an imported comment; null when one with the same source id is already there. */
export async function insertImportedComment(db: Kysely<Database>, row: ImportedCommentRow): Promise<number | null> {
  const [r] = await insertImported.rows(db, row);
  return r ? Number(r.id) : null;
}

export type RevisionRow = readonly [commentId: number, bodySrc: string, editorId: number, at: number];
/** First revisions of imported comments, many rows per statement: they need no id back. */
export async function insertRevisions(db: Kysely<Database>, rows: readonly RevisionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('comment_revisions')
    .values(rows.map(([commentId, bodySrc, editorId, at]) => ({ comment_id: commentId, body_src: bodySrc, editor_id: editorId, created_at: at })))
    .execute();
}

export async function articleIdByUrl(db: Kysely<Database>, urls: readonly string[]): Promise<number | null> {
  if (urls.length === 0) return null;
  const r = await db
    .selectFrom('articles')
    .select('id')
    .where('url', 'in', [...urls])
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return r ? Number(r.id) : null;
}

export async function articleBySlug(db: Kysely<Database>, slug: string): Promise<{ id: number; url: string | null } | null> {
  const r = await db.selectFrom('articles').select(['id', 'url']).where('slug', '=', slug).executeTakeFirst();
  return r ? { id: Number(r.id), url: r.url } : null;
}

export async function insertArticle(
  db: Kysely<Database>,
  a: { slug: string; url: string | null; title: string; publishedAt: number; now: number },
): Promise<number> {
  const r = await db
    .insertInto('articles')
    .values({
      slug: a.slug,
      url: a.url,
      title: a.title,
      standfirst: '',
      author: '',
      author_bio: '',
      author_handle: '',
      image: null,
      image_credit: '',
      published_at: a.publishedAt,
      body: '',
      comment_policy: 'subscribers',
      comment_count: 0,
      updated_at: a.now,
      policy_override: null,
      moderation: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

const USER_BY_EMAIL = 'select id from users where email = ?';
export async function userIdByEmail(db: Kysely<Database>, email: string): Promise<number | null> {
  const [r] = await run<{ id: number }>(db, USER_BY_EMAIL, [email]);
  return r ? Number(r.id) : null;
}

const INSERT_USER =
  "insert into users (email, display_name, role, created_at, suspended_until, banned) values (?, ?, 'reader', ?, null, 0) on conflict (email) do nothing returning id";
/** A new user's id; null when the address already has an account (one round trip either way for new ones). */
export async function insertUser(db: Kysely<Database>, u: { email: string; name: string; createdAt: number }): Promise<number | null> {
  const [r] = await run<{ id: number }>(db, INSERT_USER, [u.email, u.name, u.createdAt]);
  return r ? Number(r.id) : null;
}

/** Adds to counters by id, grouping equal deltas so a large import costs few statements. */
export async function addToCounters(
  db: Kysely<Database>,
  table: 'articles' | 'comments',
  column: 'comment_count' | 'reply_count',
  deltas: ReadonlyMap<number, number>,
): Promise<void> {
  const byDelta = new Map<number, number[]>();
  for (const [id, d] of deltas) {
    if (d === 0) continue;
    const ids = byDelta.get(d);
    if (ids) ids.push(id);
    else byDelta.set(d, [id]);
  }
  for (const [d, ids] of byDelta) {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} + ${d} where id in (${sql.join(chunk)})`.execute(db);
    }
  }
}

// ---- whole-database export and restore --------------------------------------------------------

export type ExportTable = keyof Database;

/** One page of a table in key order, after `after` (the key of the last row of the previous page). */
export async function pageOf(
  db: Kysely<Database>,
  table: ExportTable,
  key: readonly string[],
  after: readonly unknown[] | null,
  limit: number,
  where?: { column: string; notIn: string[] },
): Promise<Record<string, unknown>[]> {
  const cols = sql.join(key.map((k) => sql.ref(k)));
  const conditions = [sql`1 = 1`];
  if (after) conditions.push(key.length === 1 ? sql`${sql.ref(key[0]!)} > ${after[0]}` : sql`(${cols}) > (${sql.join(after.map((v) => sql`${v}`))})`);
  if (where?.notIn.length) conditions.push(sql`${sql.ref(where.column)} not in (${sql.join(where.notIn)})`);
  const r = await sql<
    Record<string, unknown>
  >`select * from ${sql.table(table)} where ${sql.join(conditions, sql` and `)} order by ${cols} limit ${limit}`.execute(db);
  return r.rows;
}

export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return r.rows.map((x) => x.name);
}

export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  for (const t of ['users', 'articles', 'comments'] as const) {
    if (await db.selectFrom(t).select(sql`1`.as('x')).limit(1).executeTakeFirst()) return false;
  }
  return true;
}

export async function insertRows(db: Kysely<Database>, table: ExportTable, rows: readonly Record<string, unknown>[], upsertKey?: string): Promise<void> {
  if (rows.length === 0) return;
  // Kysely's builder types rows per table; restored rows were written by this same schema.
  const q = db.insertInto(table).values(rows as never);
  await (upsertKey
    ? q.onConflict((oc) => oc.column(upsertKey as never).doUpdateSet((eb) => ({ value: eb.ref('excluded.value' as never) }) as never))
    : q
  ).execute();
}

export async function setCommentRefs(db: Kysely<Database>, id: number, parentId: number | null, rootId: number | null): Promise<void> {
  await db.updateTable('comments').set({ parent_id: parentId, root_id: rootId }).where('id', '=', id).execute();
}

/** After rows were inserted with their own ids, PostgreSQL's sequences must move past them. */
export async function resetSequences(db: Kysely<Database>, dialect: Dialect, tables: readonly ExportTable[]): Promise<void> {
  if (dialect !== 'postgres') return; // SQLite's AUTOINCREMENT follows explicit ids by itself.
  for (const t of tables) {
    await sql`select setval(pg_get_serial_sequence(${t}, 'id'), coalesce((select max(id) from ${sql.table(t)}), 1), (select max(id) from ${sql.table(t)}) is not null)`.execute(
      db,
    );
  }
}

// ---- scratch space for one import's pages (Disqus lists every page before any post) --------------

export interface ScratchThread {
  key: string;
  ident: string | null;
  url: string | null;
  title: string;
  publishedAt: number | null;
}

/*
 * A temporary table: it lives on the import's own connection, inside its transaction, and is
 * gone with it. An export of a large site names millions of pages; they wait here, not in memory.
 */
export async function openThreadScratch(db: Kysely<Database>): Promise<void> {
  await run(
    db,
    'create temporary table if not exists import_threads (seq integer not null, key text primary key, ident text, url text, title text not null, published_at bigint)',
    [],
  );
  await run(db, 'create index if not exists import_threads_ident on import_threads (ident, seq)', []);
  await run(db, 'delete from import_threads', []);
}

export async function closeThreadScratch(db: Kysely<Database>): Promise<void> {
  await run(db, 'drop table if exists import_threads', []);
}

/** Adds pages; a key seen again replaces the earlier page, as the file's later word wins. */
export async function putScratchThreads(db: Kysely<Database>, rows: readonly (ScratchThread & { seq: number })[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
  await run(
    db,
    `insert into import_threads (seq, key, ident, url, title, published_at) values ${values} on conflict (key) do update set seq = excluded.seq, ident = excluded.ident, url = excluded.url, title = excluded.title, published_at = excluded.published_at`,
    rows.flatMap((r) => [r.seq, r.key, r.ident, r.url, r.title, r.publishedAt]),
  );
}

const SCRATCH_BY_KEY = 'select key, ident, url, title, published_at from import_threads where key = ?';
const SCRATCH_BY_IDENT = 'select key, ident, url, title, published_at from import_threads where ident = ? order by seq desc limit 1';
/** The page by its key in the file or, failing that, by its identifier on the site. */
export async function scratchThread(db: Kysely<Database>, by: 'key' | 'ident', value: string): Promise<ScratchThread | null> {
  const [r] = await run<{ key: string; ident: string | null; url: string | null; title: string; published_at: number | string | null }>(
    db,
    by === 'key' ? SCRATCH_BY_KEY : SCRATCH_BY_IDENT,
    [value],
  );
  return r ? { key: r.key, ident: r.ident, url: r.url, title: r.title, publishedAt: r.published_at === null ? null : Number(r.published_at) } : null;
}

// ---- scratch space for comments an import left out, in case a reply to one comes later ------------

export interface ScratchSkipped {
  sourceId: string;
  parentSourceId: string | null;
  createdAt: number;
  thread: { key: string; url: string | null; title: string; publishedAt: number | null; slug: string | null };
}

export async function openSkippedScratch(db: Kysely<Database>): Promise<void> {
  await run(
    db,
    'create temporary table if not exists import_skipped (source_id text primary key, parent_source_id text, created_at bigint not null, thread_key text not null, thread_url text, thread_title text not null, thread_published_at bigint, thread_slug text)',
    [],
  );
  await run(db, 'delete from import_skipped', []);
}

export async function clearSkippedScratch(db: Kysely<Database>): Promise<void> {
  await run(db, 'delete from import_skipped', []);
}

export async function closeSkippedScratch(db: Kysely<Database>): Promise<void> {
  await run(db, 'drop table if exists import_skipped', []);
}

/** The first comment left out under an id is the one kept, as with comments written. */
export async function putScratchSkipped(db: Kysely<Database>, rows: readonly ScratchSkipped[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  await run(
    db,
    `insert into import_skipped (source_id, parent_source_id, created_at, thread_key, thread_url, thread_title, thread_published_at, thread_slug) values ${values} on conflict (source_id) do nothing`,
    rows.flatMap((r) => [r.sourceId, r.parentSourceId, r.createdAt, r.thread.key, r.thread.url, r.thread.title, r.thread.publishedAt, r.thread.slug]),
  );
}

const SCRATCH_SKIPPED =
  'select source_id, parent_source_id, created_at, thread_key, thread_url, thread_title, thread_published_at, thread_slug from import_skipped where source_id = ?';
export async function scratchSkipped(db: Kysely<Database>, sourceId: string): Promise<ScratchSkipped | null> {
  type Row = {
    source_id: string;
    parent_source_id: string | null;
    created_at: number | string;
    thread_key: string;
    thread_url: string | null;
    thread_title: string;
    thread_published_at: number | string | null;
    thread_slug: string | null;
  };
  const [r] = await run<Row>(db, SCRATCH_SKIPPED, [sourceId]);
  if (!r) return null;
  return {
    sourceId: r.source_id,
    parentSourceId: r.parent_source_id,
    createdAt: Number(r.created_at),
    thread: {
      key: r.thread_key,
      url: r.thread_url,
      title: r.thread_title,
      publishedAt: r.thread_published_at === null ? null : Number(r.thread_published_at),
      slug: r.thread_slug,
    },
  };
}
