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
 * count and the article's count. Whether the post counts (`delta`) stays a literal, so the
 * reply-count branch is planned away when it does not. Posts of a batch go together instead
 * (pgPostMany).
 */
function pgPost(delta: 0 | 1) {
  return new Prepared<NewCommentRow & { rootOrZero: number }, Selectable<CommentsTable> & { comment_count: number; author_user_id: number | null }>((db, p) =>
    db
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
      )
      .with('a', (db) =>
        db
          .updateTable('articles')
          .set((eb) => ({ comment_count: eb('comment_count', '+', delta) }))
          .where('id', '=', p.article_id)
          .returning(['comment_count', 'author_user_id']),
      )
      .selectFrom(['c', 'a'])
      .selectAll('c')
      .select(['a.comment_count', 'a.author_user_id']),
  );
}

const PG_POSTS = { 0: pgPost(0), 1: pgPost(1) };

/** The PostgreSQL statement for one post that counts (`delta` 1) or not, moving the article's count. */
export const pgPostStatement = (delta: 0 | 1) => PG_POSTS[delta];

/** Several posts' columns, one array per column, in the order the posts came (see pgPostMany). */
export interface NewCommentColumns extends Record<string, unknown> {
  articleIds: number[];
  parentIds: (number | null)[];
  rootIds: (number | null)[];
  depths: number[];
  authorIds: number[];
  bodySrcs: string[];
  bodyHtmls: string[];
  statuses: string[];
  createdAts: number[];
  reasons: (string | null)[];
  anchors: (string | null)[];
  anchorStarts: (number | null)[];
  anchorEnds: (number | null)[];
  anchorStatuses: (string | null)[];
}

/**
 * PostgreSQL writes the posts of a batch that are ready at once in one statement: their comments,
 * their first revisions and their threads' reply counts (the batch counts the article in memory,
 * CommentsRepository.countLater). Each row comes back with `ord`, the post's place in the arrays
 * (from 1): ids are drawn for each place before the insert, so no row is matched to its post by
 * the order the database happens to return them in. Values travel as arrays, so one prepared
 * statement serves any number of posts.
 */
export const pgPostMany = prepare<NewCommentColumns>()(
  (_db, p) => sql<Selectable<CommentsTable> & { ord: string }>`
    with input as (
      select * from unnest(
        ${p.articleIds}::bigint[], ${p.parentIds}::bigint[], ${p.rootIds}::bigint[], ${p.depths}::integer[], ${p.authorIds}::bigint[],
        ${p.bodySrcs}::text[], ${p.bodyHtmls}::text[], ${p.statuses}::text[], ${p.createdAts}::bigint[], ${p.reasons}::text[],
        ${p.anchors}::text[], ${p.anchorStarts}::integer[], ${p.anchorEnds}::integer[], ${p.anchorStatuses}::text[]
      ) with ordinality as i (article_id, parent_id, root_id, depth, author_id, body_src, body_html, status, created_at,
        moderation_reason, anchor, anchor_start, anchor_end, anchor_status, ord)
    ),
    ids as materialized (select ord, nextval(pg_get_serial_sequence('comments', 'id')) as id from input),
    c as (
      insert into comments (id, article_id, parent_id, root_id, depth, author_id, body_src, body_html, status, created_at,
        edited_at, edited_by, score, up, down, reply_count, moderation_reason, anchor, anchor_start, anchor_end, anchor_status)
      select ids.id, i.article_id, i.parent_id, i.root_id, i.depth, i.author_id, i.body_src, i.body_html, i.status, i.created_at,
        null, null, 0, 0, 0, 0, i.moderation_reason, i.anchor, i.anchor_start, i.anchor_end, i.anchor_status
      from input i join ids using (ord)
      returning *
    ),
    r as (insert into comment_revisions (comment_id, body_src, editor_id, created_at) select id, body_src, author_id, created_at from c),
    t as (
      update comments set reply_count = comments.reply_count + x.n
      from (select root_id, count(*)::integer as n from input where status = 'visible' and root_id is not null group by root_id) x
      where comments.id = x.root_id
    )
    select c.*, ids.ord from c join ids on ids.id = c.id`,
);

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
