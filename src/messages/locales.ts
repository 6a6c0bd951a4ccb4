/**
 * The languages Parley ships. `en` is the source every other catalog is checked against
 * (src/messages/catalog.ts); the others live in src/messages/locales/<lang>/.
 */
export const LOCALES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

/** Scripts written right to left: their pages get `dir="rtl"`. */
const RTL: ReadonlySet<string> = new Set(['ar']);

export const isLocale = (s: unknown): s is Locale => typeof s === 'string' && (LOCALES as readonly string[]).includes(s);
export const dirOf = (lang: string): 'ltr' | 'rtl' => (RTL.has(lang) ? 'rtl' : 'ltr');

/** The widget's script for a language: English keeps the historical name. */
export const widgetScript = (lang: string): string => (lang === 'en' ? 'widget.js' : `widget.${lang}.js`);
/** The moderation dashboard's script, built per language like the widget. */
export const adminScript = (lang: string): string => (lang === 'en' ? 'admin.js' : `admin.${lang}.js`);
