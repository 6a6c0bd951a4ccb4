import type { Kysely, Selectable } from 'kysely';
import type { CommentsTable, Database } from '../schema.js';
import { type NewCommentColumns, type NewCommentRow, pgPostMany } from './post-statements.js';

interface Waiting {
  row: NewCommentRow;
  resolve: (row: Selectable<CommentsTable>) => void;
  reject: (err: unknown) => void;
}

/**
 * PostgreSQL, within one batch of posts (group commit): the posts that reach their write in the
 * same turn of the event loop are written by one statement (pgPostMany) instead of one each. The
 * batch's posts by different authors run side by side and reach their writes together, and every
 * statement on the batch's connection is a round trip that all of them, and every post queued
 * behind the batch, wait for: a batch of 45 posts took 45 such trips for its inserts alone.
 *
 * The statement is sent once everything that is ready has run (`process.nextTick`, queued from a
 * promise's continuation, runs after the microtasks): a post that still waits for a read of its
 * own goes in a later statement. If the statement fails, every post in it gets the failure, and
 * group commit runs the batch again with each post alone (group-commit.ts).
 */
export class PostsTogether {
  private waiting: Waiting[] = [];

  constructor(private readonly db: Kysely<Database>) {}

  /** The comment's row as stored, once the statement that carries it has run. */
  write(row: NewCommentRow): Promise<Selectable<CommentsTable>> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) process.nextTick(() => void this.send());
      this.waiting.push({ row, resolve, reject });
    });
  }

  private async send(): Promise<void> {
    const sent = this.waiting;
    this.waiting = [];
    let rows: (Selectable<CommentsTable> & { ord: string })[];
    try {
      rows = await pgPostMany.rows(this.db, columnsOf(sent.map((w) => w.row)));
    } catch (err) {
      for (const w of sent) w.reject(err);
      return;
    }
    const byPlace = new Map(rows.map(({ ord, ...row }) => [Number(ord), row]));
    sent.forEach((w, i) => {
      const row = byPlace.get(i + 1);
      if (row) w.resolve(row);
      else w.reject(new Error('posts written together: no row came back for a post'));
    });
  }
}

/** The rows as one array per column, the parameters pgPostMany takes. */
export function columnsOf(rows: readonly NewCommentRow[]): NewCommentColumns {
  return {
    articleIds: rows.map((r) => r.article_id),
    parentIds: rows.map((r) => r.parent_id),
    rootIds: rows.map((r) => r.root_id),
    depths: rows.map((r) => r.depth),
    authorIds: rows.map((r) => r.author_id),
    bodySrcs: rows.map((r) => r.body_src),
    bodyHtmls: rows.map((r) => r.body_html),
    statuses: rows.map((r) => r.status),
    createdAts: rows.map((r) => r.created_at),
    reasons: rows.map((r) => r.moderation_reason),
    anchors: rows.map((r) => r.anchor),
    anchorStarts: rows.map((r) => r.anchor_start),
    anchorEnds: rows.map((r) => r.anchor_end),
    anchorStatuses: rows.map((r) => r.anchor_status),
  };
}
