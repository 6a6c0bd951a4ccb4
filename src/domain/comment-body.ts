import { badRequest } from './errors.js';
import { messages } from '../messages.js';

/**
 * Cleans what a reader typed and checks its length in characters as a reader counts them
 * (code points, so an emoji is one), not UTF-16 units or bytes.
 */
export function normaliseBody(src: string, maxLength: number): string {
  const text = src
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    // Control characters other than tab and newline only ever hide or garble text.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[ \t]+$/gm, '')
    .trim();
  if (text.length === 0) throw badRequest('comment_empty', messages.errors.comment_empty);
  if ([...text].length > maxLength) throw badRequest('comment_too_long', messages.errors.comment_too_long(maxLength));
  return text;
}
