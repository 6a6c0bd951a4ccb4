import { describe, expect, it } from 'vitest';
import { english } from '../../src/messages.js';
import { catalogs, messagesFor } from '../../src/messages/locales/index.js';
import { LOCALES, dirOf, isLocale, type Locale } from '../../src/messages/locales.js';
import { plural } from '../../src/messages/plural.js';
import { currentLocale, withLocale } from '../../src/messages/scope.js';
import { formatArticleDate, relativeTime } from '../../src/domain/time.js';
import { messages } from '../../src/messages.js';
import { widgetExtras } from '../../src/messages/widget-extras.js';
import { widget } from '../../src/messages/widget.js';

/** Every leaf of `source` with its kind: `a.b.c: string`, `a.d: function/2`. */
function shape(source: unknown, path = ''): string[] {
  if (typeof source === 'function') return [`${path}: function/${source.length}`];
  if (Array.isArray(source)) return [`${path}: array/${source.length}`, ...source.flatMap((v, i) => shape(v, `${path}[${i}]`))];
  if (source !== null && typeof source === 'object')
    return Object.keys(source).flatMap((k) => shape((source as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  return [`${path}: ${typeof source}`];
}

/** Every string leaf of a catalog by its path. */
function strings(source: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (typeof source === 'string') into.set(path, source);
  else if (source !== null && typeof source === 'object') for (const [k, v] of Object.entries(source)) strings(v, `${path}.${k}`, into);
  return into;
}

const englishParts = { messages: english, widget, widgetExtras };
/** The translations (typed wide, so the test reads the same while the list grows). */
const translated = (LOCALES as readonly string[]).filter((l) => l !== 'en') as Locale[];

describe('locale catalogs', () => {
  it('ships every listed language, and only those', () => {
    expect(Object.keys(catalogs).sort()).toEqual([...LOCALES].sort());
  });

  for (const lang of translated) {
    it(`${lang} has every key of the English catalog, of the same kind, and no other`, () => {
      const parts = catalogs[lang];
      for (const part of ['messages', 'widget', 'widgetExtras'] as const) {
        const missing = shape(englishParts[part]).filter((k) => !shape(parts[part]).includes(k));
        const extra = shape(parts[part]).filter((k) => !shape(englishParts[part]).includes(k));
        expect({ part, missing, extra }).toEqual({ part, missing: [], extra: [] });
      }
    });

    it(`${lang} bundles the same widget strings the server renders with`, () => {
      expect(catalogs[lang].messages.widget).toEqual({ ...catalogs[lang].widget, ...catalogs[lang].widgetExtras });
    });

    it(`${lang} answers with strings of its own, not English ones left in place`, () => {
      const english = strings(englishParts.messages);
      const same = [...strings(catalogs[lang].messages)].filter(([path, text]) => text.length > 12 && english.get(path) === text);
      // A few are the same in every language (product names, code); whole sentences are not.
      expect(same.length, same.join('\n')).toBeLessThan(english.size / 50);
    });
  }

  it('English is the catalog for en and for languages Parley does not ship', () => {
    expect(messagesFor('en')).toBe(english);
    expect(messagesFor('xx')).toBe(english);
    expect(isLocale('xx')).toBe(false);
  });

  it('writes Arabic right to left and the others left to right', () => {
    expect(dirOf('ar')).toBe('rtl');
    expect(dirOf('en')).toBe('ltr');
    expect(dirOf('de')).toBe('ltr');
  });
});

describe('plurals', () => {
  const ar = { zero: 'zero', one: 'one', two: 'two', few: 'few', many: 'many', other: 'other' };
  it("follow each language's rules", () => {
    expect([0, 1, 2, 3, 10, 11, 99, 100, 101].map((n) => plural('ar', n, ar))).toEqual(['zero', 'one', 'two', 'few', 'few', 'many', 'many', 'other', 'other']);
    expect([0, 1, 2].map((n) => plural('en', n, { one: 'comment', other: 'comments' }))).toEqual(['comments', 'comment', 'comments']);
    expect([0, 1, 2].map((n) => plural('fr', n, { one: 'commentaire', other: 'commentaires' }))).toEqual(['commentaire', 'commentaire', 'commentaires']);
  });

  it('fall back to other where a language has no such form', () => {
    expect(plural('de', 2, { one: 'Kommentar', other: 'Kommentare' })).toBe('Kommentare');
  });
});

describe('the locale scope', () => {
  it('messages answer in the language of the code running inside withLocale, across awaits', async () => {
    const outside = messages.pages.signIn;
    const other = translated[0];
    const inside = await withLocale(other ?? 'en', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return { lang: currentLocale(), text: messages.pages.signIn };
    });
    expect(outside).toBe(english.pages.signIn);
    expect(inside.lang).toBe(other ?? 'en');
    expect(inside.text).toBe(messagesFor(other ?? 'en').pages.signIn);
    expect(currentLocale()).toBe('en');
  });

  it('a view kept in a constant follows the language too', () => {
    const pages = messages.pages;
    for (const lang of LOCALES) withLocale(lang, () => expect(pages.commentsCount(2)).toBe(messagesFor(lang).pages.commentsCount(2)));
  });
});

describe('dates and relative times in each language', () => {
  const at = new Date('2026-11-10T17:00:00Z');
  it('write article dates in the language, keeping the English page design in English', () => {
    expect(formatArticleDate(at, 'UTC', 'en-US')).toBe('November 10, 2026 - 5:00pm');
    expect(formatArticleDate(at, 'UTC', 'de')).toBe('10. November 2026 um 17:00');
    expect(formatArticleDate(at, 'Europe/Paris', 'fr')).toBe('10 novembre 2026 à 18:00');
    expect(formatArticleDate(at, 'UTC', 'ar')).toContain('نوفمبر');
  });

  it('say how long ago in the language, with its plural forms', () => {
    const now = new Date(at.getTime() + 2 * 86_400_000);
    expect(relativeTime(at, now, 'de', 'gerade eben')).toBe('vor 2 Tagen');
    expect(relativeTime(at, now, 'fr', 'à l’instant')).toBe('il y a 2 jours');
    expect(relativeTime(at, now, 'ar', 'الآن')).toBe('قبل يومين');
    expect(relativeTime(at, new Date(at.getTime() + 1000), 'ar', 'الآن')).toBe('الآن');
  });
});

describe('withLocale', () => {
  it('keeps each async task in its own language, the default one included, and nothing beside them', async () => {
    const seen: string[] = [];
    const task = (lang: string | null) =>
      withLocale(lang, async () => {
        await new Promise((r) => setTimeout(r, 1));
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`${lang}:${currentLocale()}:${messages.pages.signIn}`);
      });
    await Promise.all([task('de'), task(null), task('ar'), task('en')]);
    expect(seen.sort()).toEqual([
      `ar:ar:${messagesFor('ar').pages.signIn}`,
      `de:de:${messagesFor('de').pages.signIn}`,
      `en:en:${english.pages.signIn}`,
      `null:en:${english.pages.signIn}`,
    ]);
    expect(currentLocale()).toBe('en');
  });

  it('returns to the default language inside another one', async () => {
    const inner = await withLocale('de', () => withLocale('en', async () => currentLocale()));
    expect(inner).toBe('en');
  });
});
