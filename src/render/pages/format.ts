import { currentLocale } from '../../messages/scope.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The locale article dates are written in: American English keeps the page design's shape. */
export const articleDateLocale = (): string => {
  const lang = currentLocale();
  return lang === 'en' ? 'en-US' : lang;
};

/** "December 20, 2026" (in English) in the publication's time zone, for subscription dates. */
export function longDate(d: Date, timeZone: string): string {
  const lang = currentLocale();
  const key = `${lang} ${timeZone}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : lang, { dateStyle: 'long', timeZone });
    formats.set(key, f);
  }
  return f.format(d);
}
