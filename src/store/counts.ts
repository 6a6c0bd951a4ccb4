import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface ArticleCount {
  slug: string;
  url: string | null;
  count: number;
}

/**
 * The published-comment counts of the articles with any of these URLs or slugs, in one query
 * (both columns are indexed: `articles_url`, and the unique slug). Articles that match nothing are
 * simply absent; the caller decides what an unknown article counts as.
 */
export async function commentCountsOf(db: Kysely<Database>, urls: readonly string[], slugs: readonly string[]): Promise<ArticleCount[]> {
  if (!urls.length && !slugs.length) return [];
  const rows = await db
    .selectFrom('articles')
    .select(['slug', 'url', 'comment_count'])
    .where((eb) => eb.or([...(urls.length ? [eb('url', 'in', [...urls])] : []), ...(slugs.length ? [eb('slug', 'in', [...slugs])] : [])]))
    .execute();
  return rows.map((r) => ({ slug: r.slug, url: r.url, count: Number(r.comment_count) }));
}
