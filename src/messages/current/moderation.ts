/** The moderation dashboard's strings in the language being rendered (see ./widget.ts); admin.js is built per language. */
import type { ModerationCatalog } from '../catalog.js';
import { messages } from '../../messages.js';

export const moderation: ModerationCatalog = messages.moderation;
