/**
 * Every shipped language's catalog, registered with the locale scope (src/messages/scope.ts) on
 * import. A translation lives in src/messages/locales/<lang>/: index.ts (pages, errors, mails,
 * account, billing, moderation, importer, operations, API docs) and widget.ts, widget-extras.ts
 * and moderation.ts, which the browser bundles also take on their own (scripts/build-web.mjs).
 */
import { english } from '../../messages.js';
import type { Catalog, WidgetCatalog, WidgetExtrasCatalog } from '../catalog.js';
import { isLocale, type Locale } from '../locales.js';
import { defaultLocale, registerCatalog } from '../scope.js';
import { widgetExtras } from '../widget-extras.js';
import { widget } from '../widget.js';
import * as ar from './ar/index.js';
import * as de from './de/index.js';
import * as es from './es/index.js';
import * as fr from './fr/index.js';
import * as it from './it/index.js';
import * as nl from './nl/index.js';
import * as pt from './pt/index.js';

interface Parts {
  messages: Catalog;
  widget: WidgetCatalog;
  widgetExtras: WidgetExtrasCatalog;
}

export const catalogs: Record<Locale, Parts> = {
  en: { messages: english, widget, widgetExtras },
  de: de.parts,
  fr: fr.parts,
  es: es.parts,
  it: it.parts,
  pt: pt.parts,
  nl: nl.parts,
  ar: ar.parts,
};

for (const [lang, parts] of Object.entries(catalogs)) registerCatalog(lang as Locale, parts);

/** The catalog for `lang`, or the default language's when Parley does not ship `lang`. */
export function messagesFor(lang: string | null | undefined): Catalog {
  return catalogs[isLocale(lang) ? lang : defaultLocale()].messages;
}
