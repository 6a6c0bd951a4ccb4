/** The widget's on-demand strings in the language being rendered (see ./widget.ts). */
import { localizedWidgetExtras } from '../../messages.js';

export const widgetExtras = localizedWidgetExtras;
