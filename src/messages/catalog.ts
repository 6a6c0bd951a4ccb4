/**
 * The shape every translation must have: the English catalog with its literal strings widened to
 * `string`. A locale file ends in `satisfies Catalog` (or the part it translates), so a missing or
 * misspelt key, or a function taking other values, fails the typecheck; tests/unit/locales.test.ts
 * walks the keys at run time too.
 */
import type { Messages } from '../messages.js';
import type { widgetExtras } from './widget-extras.js';
import type { widget } from './widget.js';
import type { Widen } from './widen.js';

export type { Widen };

export type Catalog = Widen<Messages>;
/** The widget's first download (one per language, see scripts/build-web.mjs). */
export type WidgetCatalog = Widen<typeof widget>;
/** The widget's strings loaded with the parts they belong to. */
export type WidgetExtrasCatalog = Widen<typeof widgetExtras>;
export type ModerationCatalog = Catalog['moderation'];
export type ImporterCatalog = Catalog['importer'];
export type OperationsCatalog = Catalog['operations'];
export type ApiDocsCatalog = Catalog['apiDocs'];
/** Everything else in src/messages.ts: pages, errors, mails, account, billing... */
export type MainCatalog = Omit<Catalog, 'widget' | 'moderation' | 'importer' | 'operations' | 'apiDocs'>;
