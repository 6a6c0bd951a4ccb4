/**
 * The widget's strings in the language being rendered: on the server a live view of the catalog
 * (src/messages/scope.ts), in the browser replaced by one language's file at build time
 * (scripts/build-web.mjs), so a bundle downloads only its own language.
 */
import { localizedWidget } from '../../messages.js';

export const widget = localizedWidget;
