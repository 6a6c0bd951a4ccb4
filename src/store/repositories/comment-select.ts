import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** A comment row with the names readers see beside it: author, editor and the author replied to. */
export function selectComments(db: Kysely<Database>) {
  return (
    db
      .selectFrom('comments')
      .innerJoin('users as author', 'author.id', 'comments.author_id')
      .leftJoin('users as editor', 'editor.id', 'comments.edited_by')
      .leftJoin('comments as parent', 'parent.id', 'comments.parent_id')
      .leftJoin('users as parent_author', 'parent_author.id', 'parent.author_id')
      .innerJoin('articles as article', 'article.id', 'comments.article_id')
      .selectAll('comments')
      .select(['author.display_name as author_name', 'editor.display_name as editor_name'])
      // A deleted parent names nobody, so `Reply to` must not name its author either.
      .select(sql<string | null>`case when parent.status = 'deleted' then null else parent_author.display_name end`.as('reply_to_name'))
      .select(sql<number>`case when article.author_user_id = comments.author_id then 1 else 0 end`.as('by_article_author'))
  );
}

type CommentsEb = ExpressionBuilder<
  Database & {
    author: Database['users'];
    editor: Database['users'];
    parent: Database['comments'];
    parent_author: Database['users'];
    article: Database['articles'];
  },
  'comments'
>;

/**
 * A deleted top-level comment stays as a placeholder only while its thread has a reply to hold
 * up: alone, it would be an empty row (no name, no words) at the top of Newest. Its article's
 * count already left it out when it was deleted.
 */
export function notBarePlaceholder(eb: CommentsEb, viewerId: number | null) {
  // The status as an expression, not a column: SQLite, without statistics, went through the
  // status index (every visible comment) rather than the thread's (comments_thread_time).
  const status = sql<string>`r.status || ''`;
  const shownReply = (r: ExpressionBuilder<Database & { r: Database['comments'] }, 'r'>) =>
    viewerId === null ? r(status, '=', 'visible') : r.or([r(status, '=', 'visible'), r.and([r(status, '=', 'pending'), r('r.author_id', '=', viewerId)])]);
  return eb.or([
    eb('comments.status', '!=', 'deleted'),
    eb.exists(eb.selectFrom('comments as r').select(sql.lit(1).as('one')).whereRef('r.root_id', '=', 'comments.id').where(shownReply)),
  ]);
}

/** Readers see visible comments and deleted placeholders; authors also see their own pending ones. */
export function shownTo(eb: CommentsEb, viewerId: number | null) {
  const shown = eb('comments.status', 'in', ['visible', 'deleted']);
  if (viewerId === null) return shown;
  return eb.or([shown, eb.and([eb('comments.status', '=', 'pending'), eb('comments.author_id', '=', viewerId)])]);
}
