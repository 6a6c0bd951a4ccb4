/**
 * Each article's language, from its front matter `lang` (src/services/content.ts). Kept beside the
 * store it belongs to, not in it: the content folder is read again at every start, so the file
 * stays the one place the language is written down. Articles without one (embedded, imported)
 * speak LOCALE.
 */
import type { Locale } from '../messages/locales.js';

const byStore = new WeakMap<object, Map<number, Locale>>();

export function setArticleLocale(store: object, articleId: number, lang: Locale | null): void {
  let langs = byStore.get(store);
  if (!langs) byStore.set(store, (langs = new Map()));
  if (lang) langs.set(articleId, lang);
  else langs.delete(articleId);
}

/** The article's own language, or null when it has none (the caller then uses LOCALE). */
export function articleLocale(store: object, articleId: number): Locale | null {
  return byStore.get(store)?.get(articleId) ?? null;
}
