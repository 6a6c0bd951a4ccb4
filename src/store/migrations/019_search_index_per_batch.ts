import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * SQLite's word index takes a batch of posts at once (CommentSearchRepository.deferIndexing):
 * indexed by the insert trigger one row at a time, a comment cost 123–162 µs to insert; the same
 * batches indexed by one statement before their commit, 69–72 µs, and a trigger whose condition
 * is false costs nothing. While `comments_fts_deferred` holds a row (only inside a batch's
 * transaction, never committed), the triggers leave the comments above its `since_id` alone: the
 * batch indexes them as they stand at its end, so an edit or deletion of one meanwhile, whose old
 * words the index never had, must not tell the index to forget them. Every other write path is
 * still indexed by the triggers, in its own statement. PostgreSQL's GIN index is unchanged.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`create table comments_fts_deferred (since_id integer not null)`.execute(db);
  for (const name of ['comments_fts_insert', 'comments_fts_delete', 'comments_fts_update']) await sql`drop trigger ${sql.id(name)}`.execute(db);
  // True outside a batch, and inside one for the comments that were there before it.
  const indexed = (row: 'new' | 'old') => sql.raw(`${row}.id <= coalesce((select since_id from comments_fts_deferred), ${row}.id)`);
  await sql`create trigger comments_fts_insert after insert on comments when ${indexed('new')} begin
    insert into comments_fts(rowid, body_src) values (new.id, new.body_src);
  end`.execute(db);
  await sql`create trigger comments_fts_delete after delete on comments when ${indexed('old')} begin
    insert into comments_fts(comments_fts, rowid, body_src) values ('delete', old.id, old.body_src);
  end`.execute(db);
  await sql`create trigger comments_fts_update after update of body_src on comments when ${indexed('old')} begin
    insert into comments_fts(comments_fts, rowid, body_src) values ('delete', old.id, old.body_src);
    insert into comments_fts(rowid, body_src) values (new.id, new.body_src);
  end`.execute(db);
}
