import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Full-text search over comments for moderators (issue 16), newest first, and reports found by who
 * made them.
 *
 * The index is kept in step by the database itself, inside the statement that changes a comment,
 * so every write path (posting, an author's or a moderator's edit, deletion, erasure when an
 * account is deleted, import's bulk inserts, retention) updates it in the same transaction and
 * none can forget to: on SQLite an FTS5 table over comments.body_src with triggers, on PostgreSQL
 * a GIN index on the body's tsvector. Both stem English words (Porter / the 'english' config).
 * Creating them indexes the comments already there.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    // External content: the words stay in comments alone; FTS5 keeps only the index and reads the
    // text back from comments for snippets.
    await sql`create virtual table comments_fts using fts5(body_src, content='comments', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`.execute(
      db,
    );
    await sql`create trigger comments_fts_insert after insert on comments begin
      insert into comments_fts(rowid, body_src) values (new.id, new.body_src);
    end`.execute(db);
    // An external-content index forgets a row by being told the words it indexed for it.
    await sql`create trigger comments_fts_delete after delete on comments begin
      insert into comments_fts(comments_fts, rowid, body_src) values ('delete', old.id, old.body_src);
    end`.execute(db);
    await sql`create trigger comments_fts_update after update of body_src on comments begin
      insert into comments_fts(comments_fts, rowid, body_src) values ('delete', old.id, old.body_src);
      insert into comments_fts(rowid, body_src) values (new.id, new.body_src);
    end`.execute(db);
    await sql`insert into comments_fts(comments_fts) values ('rebuild')`.execute(db);
  } else {
    // An expression index rather than a stored tsvector column: every comment query selects
    // comments.*, and would otherwise carry each body's tsvector along.
    await sql`create index comments_search on comments using gin (to_tsvector('english'::regconfig, body_src))`.execute(db);
  }
  // Results come newest first; with no filter narrower than a date, this index gives the page.
  await db.schema.createIndex('comments_created').on('comments').columns(['created_at', 'id']).execute();
  // A reader's history lists the reports they made.
  await db.schema.createIndex('reports_reporter').on('reports').columns(['reporter_id', 'id']).execute();
}
