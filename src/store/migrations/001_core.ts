import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/** Auto-increment ids differ by dialect; everything else is portable. */
function withId(db: Kysely<unknown>, dialect: Dialect, table: string) {
  return db.schema
    .createTable(table)
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()));
}

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withId(db, dialect, 'users')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('reader'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('suspended_until', 'bigint')
    .addColumn('banned', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await withId(db, dialect, 'entitlements')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_ref', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_period_end', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('entitlements_user_source_ref', ['user_id', 'source', 'external_ref'])
    .execute();

  await withId(db, dialect, 'articles')
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('standfirst', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_bio', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_handle', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('image', 'text')
    .addColumn('image_credit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('comment_policy', 'text', (c) => c.notNull().defaultTo('subscribers'))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_published').on('articles').columns(['published_at', 'id']).execute();

  await withId(db, dialect, 'comments')
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('parent_id', 'bigint', (c) => c.references('comments.id'))
    .addColumn('root_id', 'bigint', (c) => c.references('comments.id'))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('body_src', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('edited_at', 'bigint')
    .addColumn('edited_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('up', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('down', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // One index per sort of top-level comments (depth 0) and one for a thread's replies in time
  // order: every page is an index range scan of page size, whatever the thread's size.
  await db.schema.createIndex('comments_top_score').on('comments').columns(['article_id', 'depth', 'score', 'id']).execute();
  await db.schema.createIndex('comments_top_time').on('comments').columns(['article_id', 'depth', 'created_at', 'id']).execute();
  await db.schema.createIndex('comments_thread_time').on('comments').columns(['root_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('comments_author').on('comments').columns(['author_id', 'created_at']).execute();

  await withId(db, dialect, 'comment_revisions')
    .addColumn('comment_id', 'bigint', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('body_src', 'text', (c) => c.notNull())
    .addColumn('editor_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_revisions_comment').on('comment_revisions').columns(['comment_id', 'id']).execute();

  await db.schema
    .createTable('votes')
    .addColumn('comment_id', 'bigint', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('votes_pk', ['comment_id', 'user_id'])
    .execute();
  await db.schema.createIndex('votes_user').on('votes').columns(['user_id', 'comment_id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
}
