/**
 * Which language the server is speaking right now. A process has a default (the LOCALE setting);
 * an article's page, its widget and the mails about it run inside `withLocale(article's lang)`.
 * `messages` (src/messages.ts) reads through `localized`, so the many modules that import it,
 * and keep parts of it in constants such as `const m = messages.pages`, answer in the language
 * of the request or mail being composed without each one being handed a catalog.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isLocale, type Locale } from './locales.js';

const scope = new AsyncLocalStorage<Locale>();
let fallback: Locale = 'en';
const catalogs = new Map<string, object>();

/** The process's language when nothing more specific applies (createParley sets it from LOCALE). */
export function setDefaultLocale(lang: Locale): void {
  fallback = lang;
}

export function defaultLocale(): Locale {
  return fallback;
}

export function currentLocale(): Locale {
  return scope.getStore() ?? fallback;
}

/** Runs `fn` (and everything it awaits) in `lang`; an unknown or missing lang means the default. */
export function withLocale<T>(lang: string | null | undefined, fn: () => T): T {
  const to = isLocale(lang) ? lang : fallback;
  return alreadySpoken(to) ? fn() : scope.run(to, fn);
}

/**
 * Nothing to enter when the default language is already spoken. On Node 20 the first entered
 * scope turns on promise hooks for the whole process, which cost every request 5–9% of its CPU
 * (bench/run.ts); a publication in its default language never pays that. Scopes are only ever
 * run, never entered (`enterWith`): entered while the hooks were still off, a scope lands on
 * whatever resource is current, which other requests may share, and leaks into them.
 */
function alreadySpoken(lang: Locale): boolean {
  return lang === fallback && scope.getStore() === undefined;
}

/**
 * Called by src/messages/locales/index.ts for each shipped language: `messages` (the catalog) and
 * the widget's `widget` and `widgetExtras`, which are also bundled on their own.
 */
export function registerCatalog(lang: Locale, catalog: { messages: object; widget: object; widgetExtras: object }): void {
  catalogs.set(lang, catalog);
}

export function catalogOf(lang: string): object | undefined {
  return catalogs.get(lang);
}

const views = new Map<string, object>();

/**
 * A read-only view of `english` at `path` (only one `english` root is ever used: src/messages.ts) that answers from the current language's catalog (or
 * English when that language is not registered). Objects inside are views too; strings,
 * functions and arrays are the catalog's own.
 */
export function localized<T extends object>(english: T, path: readonly string[] = []): T {
  const key = path.join('.');
  const known = views.get(key);
  if (known) return known as T;
  const resolve = (): Record<PropertyKey, unknown> => {
    const root = (catalogs.get(currentLocale()) ?? english) as Record<string, unknown>;
    let node: unknown = root;
    for (const p of path) node = (node as Record<string, unknown>)[p];
    return node as Record<PropertyKey, unknown>;
  };
  const view: Record<PropertyKey, unknown> = new Proxy(
    {},
    {
      get(_, prop) {
        const v = resolve()[prop];
        return typeof prop === 'string' && v !== null && typeof v === 'object' && !Array.isArray(v) ? localized(english, [...path, prop]) : v;
      },
      has: (_, prop) => prop in resolve(),
      ownKeys: () => Reflect.ownKeys(resolve()),
      getOwnPropertyDescriptor(_, prop): PropertyDescriptor | undefined {
        const d = Reflect.getOwnPropertyDescriptor(resolve(), prop);
        return d ? { configurable: true, enumerable: d.enumerable, writable: false, value: view[prop] } : undefined;
      },
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    },
  );
  views.set(key, view);
  return view as T;
}
