import { messages } from '../messages.js';
import { badRequest } from './errors.js';
import type { SortOrder } from './types.js';

/**
 * Keyset cursors. A page is fixed by `w`, the highest comment id that existed when the reader
 * first loaded the discussion, so comments posted later never shift it; `k` and `i` are the sort
 * key and id of the last row shown.
 */
export interface ThreadCursor {
  s: SortOrder;
  w: number;
  k: number;
  i: number;
  /** Set on the pages of `View all comments`: each thread comes with all its replies. */
  a?: 1;
}

export interface ReplyCursor {
  r: number;
  w: number;
  t: number;
  i: number;
}

const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

function decode(raw: string): Record<string, unknown> {
  try {
    if (raw.length > 200) throw new Error('too long');
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw badRequest('bad_cursor', messages.errors.bad_cursor);
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

export const encodeThreadCursor = (c: ThreadCursor) => encode(c);
export const encodeReplyCursor = (c: ReplyCursor) => encode(c);

export function decodeThreadCursor(raw: string, sort: SortOrder): ThreadCursor {
  const v = decode(raw);
  if (v.s !== sort || !isInt(v.w) || !isInt(v.k) || !isInt(v.i)) {
    throw badRequest('bad_cursor', messages.errors.bad_cursor);
  }
  return { s: sort, w: v.w, k: v.k, i: v.i, ...(v.a === 1 ? { a: 1 as const } : {}) };
}

export function decodeReplyCursor(raw: string, rootId: number): ReplyCursor {
  const v = decode(raw);
  if (v.r !== rootId || !isInt(v.w) || !isInt(v.t) || !isInt(v.i)) {
    throw badRequest('bad_cursor', messages.errors.bad_cursor);
  }
  return { r: rootId, w: v.w, t: v.t, i: v.i };
}
