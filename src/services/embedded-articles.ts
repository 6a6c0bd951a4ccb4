import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Article } from '../domain/types.js';
import { blankArticle, type Store } from '../store/store.js';
import type { Clock } from './clock.js';

/**
 * The slug of an article a publisher's page registers through the embed: readable, and unique per
 * key even when two keys read alike ("Story 42" and "story-42").
 */
export function embedSlug(key: string): string {
  const readable =
    key
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'article';
  return `e-${readable}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/** Discussions created by the embed on a publisher's page, rather than from the content folder. */
export class EmbeddedArticles {
  constructor(
    private readonly store: Pick<Store, 'articles'>,
    private readonly config: Pick<Config, 'EMBED_COMMENT_POLICY'>,
    private readonly clock: Clock,
  ) {}

  /**
   * The discussion of the page with this embed key, created on its first load. Whoever loads it
   * first names it: later loads, concurrent ones included, cannot retitle it or move its URL.
   */
  async register(key: string, url: string, title: string): Promise<Article> {
    const slug = embedSlug(key);
    const known = await this.store.articles.bySlug(slug);
    if (known) return known;
    const now = this.clock.now();
    return this.store.articles.insertIfAbsent(blankArticle({ slug, url, title, publishedAt: now, commentPolicy: this.config.EMBED_COMMENT_POLICY }), now);
  }
}
