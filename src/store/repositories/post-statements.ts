import { sql, type Selectable } from 'kysely';
import { Prepared, prepare, valuesOf } from '../prepared.js';
import { type CommentsTable, NEW_COMMENT_COLUMNS } from '../schema.js';

/**
 * The statements every comment post runs, prepared once (see Prepared): on SQLite, building them
 * with Kysely for each post cost more CPU than running them.
 */

/** A posted comment's columns: those of every new comment, and where its quoted passage is. */
const POSTED_COLUMNS = [...NEW_COMMENT_COLUMNS, 'anchor', 'anchor_start', 'anchor_end', 'anchor_status'] as const;

export type NewCommentRow = { [K in (typeof POSTED_COLUMNS)[number]]: CommentsTable[K] };

const newComment = (p: NewCommentRow): NewCommentRow => valuesOf(p, POSTED_COLUMNS);

export const insertComment = prepare<NewCommentRow>()((db, p) => db.insertInto('comments').values(newComment(p)).returningAll());

export const insertRevision = prepare<{ commentId: number; bodySrc: string; editorId: number; at: number }>()((db, p) =>
  db.insertInto('comment_revisions').values({ comment_id: p.commentId, body_src: p.bodySrc, editor_id: p.editorId, created_at: p.at }),
);

export const addReply = prepare<{ rootId: number; delta: number }>()((db, p) =>
  db
    .updateTable('comments')
    .set((eb) => ({ reply_count: eb('reply_count', '+', p.delta) }))
    .where('id', '=', p.rootId),
);

export const moveCount = prepare<{ articleId: number; delta: number }>()((db, p) =>
  db
    .updateTable('articles')
    .set((eb) => ({ comment_count: eb('comment_count', '+', p.delta) }))
    .where('id', '=', p.articleId)
    .returning(['comment_count', 'author_user_id']),
);

export const articleCount = prepare<{ articleId: number }>()((db, p) =>
  db.selectFrom('articles').select(['comment_count', 'author_user_id']).where('id', '=', p.articleId),
);

/**
 * PostgreSQL writes a post in one statement: the comment, its first revision, the thread's reply
 * count and (unless the batch counts in memory, `counted`) the article's count. Whether the post
 * counts (`delta`) stays a literal, so the reply-count branch is planned away when it does not.
 */
function pgPost(delta: 0 | 1, counted: boolean) {
  return new Prepared<NewCommentRow & { rootOrZero: number }, Selectable<CommentsTable> & { comment_count?: number; author_user_id?: number | null }>(
    (db, p) => {
      const inserted = db
        .with('c', (db) => db.insertInto('comments').values(newComment(p)).returningAll())
        .with('r', (db) =>
          db
            .insertInto('comment_revisions')
            .columns(['comment_id', 'body_src', 'editor_id', 'created_at'])
            .expression((eb) =>
              eb
                .selectFrom('c')
                .select((s) => ['c.id', s.val(p.body_src).as('body_src'), s.val(p.author_id).as('editor_id'), s.val(p.created_at).as('created_at')]),
            ),
        )
        .with('t', (db) =>
          db
            .updateTable('comments')
            .set((eb) => ({ reply_count: eb('reply_count', '+', delta) }))
            .where('id', '=', p.rootOrZero)
            .where(sql.lit(delta), '>', 0),
        );
      if (counted) return inserted.selectFrom('c').selectAll('c');
      return inserted
        .with('a', (db) =>
          db
            .updateTable('articles')
            .set((eb) => ({ comment_count: eb('comment_count', '+', delta) }))
            .where('id', '=', p.article_id)
            .returning(['comment_count', 'author_user_id']),
        )
        .selectFrom(['c', 'a'])
        .selectAll('c')
        .select(['a.comment_count', 'a.author_user_id']);
    },
  );
}

const PG_POSTS = { 0: { counted: pgPost(0, true), counting: pgPost(0, false) }, 1: { counted: pgPost(1, true), counting: pgPost(1, false) } };

/** The PostgreSQL statement for a post that counts (`delta` 1) or not, with the article's count moved here or not. */
export const pgPostStatement = (delta: 0 | 1, counted: boolean) => PG_POSTS[delta][counted ? 'counted' : 'counting'];

/** An author's latest comments with exactly these words (see CommentsRepository.recentDuplicate). */
export const recentDuplicate = prepare<{ authorId: number; since: number; lookback: number; body: string }>()((db, p) =>
  db
    .selectFrom(
      db
        .selectFrom('comments')
        .select(['id', 'body_src'])
        .where('author_id', '=', p.authorId)
        .where('created_at', '>=', p.since)
        .orderBy('created_at', 'desc')
        .limit(p.lookback)
        .as('recent'),
    )
    .select('recent.id')
    .where('recent.body_src', '=', p.body)
    .orderBy('recent.id', 'asc')
    .limit(1),
);
