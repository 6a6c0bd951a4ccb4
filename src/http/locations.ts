import { safeReturnPath } from '../services/accounts.js';

/**
 * Addresses Parley sends readers to in a `Location` header. Node refuses to write a header holding
 * anything outside Latin-1 or a control character, and does so after the handler has finished,
 * past the error handler: the reader gets a bare 500 and whatever the handler spent (a one-time
 * sign-in link) is gone. So every address is made header-safe before it is used.
 */

// C0 and C1 controls, DEL, and the line and paragraph separators never belong in an address.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// A lone surrogate (half of a broken character) cannot be encoded as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** `target` with everything outside printable ASCII percent-encoded as UTF-8; null when it holds a control character. */
export function headerSafe(target: string): string | null {
  if (CONTROL.test(target) || LONE_SURROGATE.test(target)) return null;
  return target.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

/** A path on this site to send a reader back to, ready for a Location header; `/` for anything else. */
export function returnLocation(raw: string | undefined): string {
  return headerSafe(safeReturnPath(raw)) ?? '/';
}
