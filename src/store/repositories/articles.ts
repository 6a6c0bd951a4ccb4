import { sql } from 'kysely';
import type { Article, CommentPolicy } from '../../domain/types.js';
import { toArticle } from '../rows.js';
import { Repository } from './repository.js';

/** The article columns the content folder owns; `upsert` rewrites a row only if one differs. */
const CONTENT_COLUMNS = [
  'url',
  'title',
  'standfirst',
  'author',
  'author_bio',
  'author_handle',
  'image',
  'image_credit',
  'published_at',
  'body',
  'comment_policy',
] as const;

/**
 * What a node needs to know whether its copy of an article is current, without the text:
 * `version` changes with anything the text or settings show (its row's update time, a
 * moderator's policy); the count changes with every post and is laid over the copy, so a busy
 * discussion does not make every reader's node read the text again.
 */
export interface ArticleStamp {
  version: string;
  commentCount: number;
}

/**
 * An article's stamp from its row (see stampOf); also read by ReaderFactsRepository and with a
 * post's rules. Numbers and their strings (PostgreSQL's bigints arrive as strings) give the same.
 */
export function articleStamp(updatedAt: unknown, commentCount: unknown, policyOverride: unknown): ArticleStamp {
  return { version: `${Number(updatedAt)}:${policyOverride ?? ''}`, commentCount: Number(commentCount) };
}

/** What a post's answer needs of its article, from the row a batch of posts reads or locks. */
export interface ArticleCount {
  commentCount: number;
  authorUserId: number | null;
}

export function articleCountOf(r: { comment_count: unknown; author_user_id: unknown }): ArticleCount {
  return { commentCount: Number(r.comment_count), authorUserId: r.author_user_id === null ? null : Number(r.author_user_id) };
}

/** An article as the content folder, the embed or an import describes it; the database adds the rest. */
export type ArticleInput = Omit<Article, 'id' | 'commentCount'>;

/** An article with nothing but its slug, title and the given fields: the embed's, a test's. */
export function blankArticle(a: Pick<ArticleInput, 'slug' | 'title' | 'publishedAt'> & Partial<ArticleInput>): ArticleInput {
  return { url: null, standfirst: '', author: '', authorBio: '', authorHandle: '', image: null, imageCredit: '', body: '', commentPolicy: 'subscribers', ...a };
}

/** The stored columns of an article's content, as written on insert and on change. */
function contentValues(a: ArticleInput, now: Date) {
  return {
    url: a.url,
    title: a.title,
    standfirst: a.standfirst,
    author: a.author,
    author_bio: a.authorBio,
    author_handle: a.authorHandle,
    image: a.image,
    image_credit: a.imageCredit,
    published_at: a.publishedAt.getTime(),
    body: a.body,
    comment_policy: a.commentPolicy,
    updated_at: now.getTime(),
  };
}

/** Articles: what the content folder says of them, their policy, and the lock on their discussion. */
export class ArticlesRepository extends Repository {
  async upsert(a: ArticleInput, now: Date): Promise<Article> {
    const values = contentValues(a, now);
    // Unchanged articles are not rewritten: start-up loads the content folder every time and must
    // not need to write, so a node on a full disk still starts and serves reads. An update that
    // matches no row writes nothing; an INSERT ... ON CONFLICT would (SQLite's AUTOINCREMENT).
    const existing = await this.db.selectFrom('articles').select('id').where('slug', '=', a.slug).executeTakeFirst();
    if (existing) {
      // Each change moves updated_at on, even within one millisecond or under a stopped clock:
      // it is what tells readers' nodes to read the article's text again (stampOf).
      const later =
        this.dialect === 'postgres' ? sql<number>`greatest(${values.updated_at}, updated_at + 1)` : sql<number>`max(${values.updated_at}, updated_at + 1)`;
      await this.db
        .updateTable('articles')
        .set({ ...values, updated_at: later })
        .where('id', '=', existing.id)
        .where((eb) => eb.or(CONTENT_COLUMNS.map((c) => eb(c, 'is distinct from', values[c]))))
        .execute();
    } else {
      await this.db
        .insertInto('articles')
        .values({ slug: a.slug, comment_count: 0, ...values })
        .onConflict((oc) => oc.column('slug').doUpdateSet(values))
        .execute();
    }
    return (await this.bySlug(a.slug))!;
  }

  /** Creates the article unless its slug exists; either way returns the stored one, never changed. */
  async insertIfAbsent(a: ArticleInput, now: Date): Promise<Article> {
    await this.db
      .insertInto('articles')
      .values({ slug: a.slug, comment_count: 0, ...contentValues(a, now) })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
    return (await this.bySlug(a.slug))!;
  }

  /** Links the article to its author's account; writes only on a change, so start-up stays read-only. */
  async setAuthorUser(articleId: number, userId: number | null): Promise<void> {
    await this.db
      .updateTable('articles')
      .set({ author_user_id: userId })
      .where('id', '=', articleId)
      .where((eb) => eb('author_user_id', 'is distinct from', userId))
      .execute();
  }

  async bySlug(slug: string): Promise<Article | null> {
    const r = await this.db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r ? toArticle(r) : null;
  }

  /** The article's stamp (see ArticleStamp); null for no such article. */
  async stampOf(id: number): Promise<ArticleStamp | null> {
    const r = await this.db.selectFrom('articles').select(['updated_at', 'comment_count', 'policy_override']).where('id', '=', id).executeTakeFirst();
    return r ? articleStamp(r.updated_at, r.comment_count, r.policy_override) : null;
  }

  async byId(id: number): Promise<Article | null> {
    const r = await this.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toArticle(r) : null;
  }

  async list(limit: number): Promise<Article[]> {
    const rows = await this.db.selectFrom('articles').selectAll().orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toArticle);
  }

  /**
   * Serialises changes to one article's discussion until commit; SQLite's single writer already
   * does. On PostgreSQL answers the locked row's count and author, which nobody else can change
   * until then (null for no such article, and always on SQLite).
   */
  async lock(articleId: number): Promise<ArticleCount | null> {
    if (this.dialect !== 'postgres') return null;
    const r = await this.db.selectFrom('articles').select(['comment_count', 'author_user_id']).where('id', '=', articleId).forUpdate().executeTakeFirst();
    return r ? articleCountOf(r) : null;
  }

  /** A moderator's comment policy for an article; null returns it to the article's own. */
  async setPolicyOverride(articleId: number, policy: CommentPolicy | null): Promise<void> {
    await this.db.updateTable('articles').set({ policy_override: policy }).where('id', '=', articleId).execute();
  }

  async byIds(ids: readonly number[]): Promise<Article[]> {
    if (ids.length === 0) return [];
    return (
      await this.db
        .selectFrom('articles')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute()
    ).map(toArticle);
  }
}
