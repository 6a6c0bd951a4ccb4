import { DEFAULT_MODERATION, effectiveModeration, normaliseWordList, type ArticleModeration, type ModerationSettings } from '../../domain/moderation.js';
import type { ArticleStamp } from '../../store/repositories/articles.js';
import type { ModerationRepository } from '../../store/repositories/moderation.js';
import type { SettingsRepository } from '../../store/repositories/settings.js';
import { SharedReads } from '../shared-reads.js';
import type { ModerationRulesReads } from './port.js';

type SiteRulesWriter = { settings: Pick<SettingsRepository, 'put'> };
type ArticleRulesWriter = { moderation: Pick<ModerationRepository, 'setArticleSettings'> };
type RulesWithArticleReads = { moderation: Pick<ModerationRepository, 'rulesWithArticle'> };

/** The settings-table key of the site-wide pre-moderation rules. */
export const MODERATION_KEY = 'moderation.rules';

function parse<T extends object>(raw: string | null): Partial<T> {
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<T>) : {};
  } catch {
    return {};
  }
}

/** Only known fields of the right type survive: the stored JSON is never trusted blindly. */
function clean(v: Partial<ModerationSettings>): Partial<ModerationSettings> {
  const out: Partial<ModerationSettings> = {};
  if (typeof v.premoderateAll === 'boolean') out.premoderateAll = v.premoderateAll;
  if (typeof v.premoderateLinks === 'boolean') out.premoderateLinks = v.premoderateLinks;
  if (Number.isSafeInteger(v.newAccountComments) && v.newAccountComments! >= 0) out.newAccountComments = v.newAccountComments;
  if (Array.isArray(v.bannedWords)) out.bannedWords = normaliseWordList(v.bannedWords.filter((w): w is string => typeof w === 'string'));
  return out;
}

const siteRules = (raw: string | null): ModerationSettings => ({ ...DEFAULT_MODERATION, ...clean(parse<ModerationSettings>(raw)) });

function articleRules(raw: string | null): ArticleModeration {
  const { bannedWords: _ignored, ...own } = clean(parse<ModerationSettings>(raw));
  return own;
}

/**
 * Reads the pre-moderation rules from the database on every use, so a change made on one node
 * applies on all of them at once. A post reads them once, however many rules look.
 */
export class ModerationRules {
  private readonly perPost = new WeakMap<object, Promise<ModerationSettings>>();

  constructor(private readonly store: ModerationRulesReads & RulesWithArticleReads & SiteRulesWriter & ArticleRulesWriter) {}

  async site(store: ModerationRulesReads = this.store): Promise<ModerationSettings> {
    return siteRules(await store.settings.get(MODERATION_KEY));
  }

  async article(articleId: number, store: ModerationRulesReads = this.store): Promise<ArticleModeration> {
    return articleRules(await store.moderation.articleSettings(articleId));
  }

  async forArticle(articleId: number, store: ModerationRulesReads = this.store): Promise<ModerationSettings> {
    const [site, own] = await Promise.all([this.site(store), this.article(articleId, store)]);
    return effectiveModeration(site, own);
  }

  /**
   * The article's rules and its stamp, read in one round trip; null for no such article. Posts
   * into one article that ask at once share a read begun after each asked (SharedReads): a burst
   * of posts made one read each, a round trip the node paid for every post.
   */
  withArticle(articleId: number): Promise<{ rules: ModerationSettings; article: ArticleStamp } | null> {
    return this.withArticleReads.get(articleId);
  }

  private readonly withArticleReads = new SharedReads(async (articleId: number) => {
    const read = await this.store.moderation.rulesWithArticle(articleId, MODERATION_KEY);
    return read && { rules: effectiveModeration(siteRules(read.site), articleRules(read.own)), article: read.article };
  });

  /**
   * The rules for one post, read once and shared by every rule that looks at `ctx`. Read through
   * the post's own store: posting runs its rules inside its transaction, and on PostgreSQL a
   * second connection taken from the pool there could wait for ever behind posts that hold the rest.
   */
  forPost(ctx: { article: { id: number }; store?: ModerationRulesReads; moderation?: ModerationSettings }): Promise<ModerationSettings> {
    if (ctx.moderation) return Promise.resolve(ctx.moderation);
    let p = this.perPost.get(ctx);
    if (!p) this.perPost.set(ctx, (p = this.forArticle(ctx.article.id, ctx.store)));
    return p;
  }

  /** Saves through `store`, which may be bound to the caller's transaction. */
  async saveSite(next: ModerationSettings, store: SiteRulesWriter = this.store): Promise<ModerationSettings> {
    const value = { ...DEFAULT_MODERATION, ...clean(next) };
    await store.settings.put(MODERATION_KEY, JSON.stringify(value));
    return value;
  }

  async saveArticle(articleId: number, next: ArticleModeration, store: ArticleRulesWriter = this.store): Promise<ArticleModeration> {
    const { bannedWords: _ignored, ...own } = clean(next);
    await store.moderation.setArticleSettings(articleId, Object.keys(own).length ? JSON.stringify(own) : null);
    return own;
  }
}
