import type { Kysely } from 'kysely';
import { commentCountsOf } from '../store/counts.js';
import type { Database } from '../store/schema.js';

/** How long a count is served from memory: listing pages refresh often, counts need not be exact. */
export const COUNTS_TTL_MS = 15_000;
const MAX_ENTRIES = 20_000;

/** The form a page's address is stored in (embed.js registers `new URL(href).href`, without the fragment). */
function normalUrl(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

/**
 * Comment counts for publishers' listing pages, by article URL or slug. Each answer is kept in
 * memory for COUNTS_TTL_MS (unknown articles too, as 0), so a busy front page costs the database
 * one query per article every few seconds however many readers load it.
 */
export class CommentCounts {
  private readonly cache = new Map<string, { n: number; at: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly opts: {
      /** Other slugs an article may be stored under (an embedded article's id becomes `e-...`). */
      slugAliases?: (slug: string) => string[];
      now?: () => number;
      ttlMs?: number;
    } = {},
  ) {}

  async counts(urls: readonly string[], slugs: readonly string[]): Promise<Record<string, number>> {
    const now = (this.opts.now ?? Date.now)();
    const ttl = this.opts.ttlMs ?? COUNTS_TTL_MS;
    const out: Record<string, number> = {};
    const missUrls: string[] = [];
    const missSlugs: string[] = [];
    for (const url of urls) {
      const hit = this.cache.get(`u:${url}`);
      if (hit && now - hit.at < ttl) out[url] = hit.n;
      else missUrls.push(url);
    }
    for (const slug of slugs) {
      const hit = this.cache.get(`s:${slug}`);
      if (hit && now - hit.at < ttl) out[slug] = hit.n;
      else missSlugs.push(slug);
    }
    if (!missUrls.length && !missSlugs.length) return out;

    const urlForms = new Map(missUrls.map((u) => [u, [...new Set([u, normalUrl(u) ?? u])]]));
    const slugForms = new Map(missSlugs.map((s) => [s, [...new Set([s, ...(this.opts.slugAliases?.(s) ?? [])])]]));
    const rows = await commentCountsOf(this.db, [...urlForms.values()].flat(), [...slugForms.values()].flat());
    const byUrl = new Map<string, number>();
    const bySlug = new Map(rows.map((r) => [r.slug, r.count]));
    // Several articles may share a URL (an import matched by slug, say): the first one counts.
    for (const r of rows) if (r.url !== null && !byUrl.has(r.url)) byUrl.set(r.url, r.count);
    for (const [url, forms] of urlForms) this.remember(`u:${url}`, (out[url] = firstOf(forms, byUrl)), now);
    for (const [slug, forms] of slugForms) this.remember(`s:${slug}`, (out[slug] = firstOf(forms, bySlug)), now);
    return out;
  }

  private remember(key: string, n: number, at: number): void {
    this.cache.delete(key);
    this.cache.set(key, { n, at });
    // Oldest first in a Map: a flood of made-up URLs cannot grow memory without bound.
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }
}

function firstOf(forms: string[], found: Map<string, number>): number {
  for (const f of forms) {
    const n = found.get(f);
    if (n !== undefined) return n;
  }
  return 0;
}
