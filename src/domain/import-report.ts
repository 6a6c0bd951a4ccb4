/**
 * What an import did, for `parley import` to print. It lives here, apart from the importers, so
 * that the messages can describe it without importing the services that count it.
 */

export type SkipReason = 'spam' | 'trash' | 'deleted' | 'pingback' | 'other' | 'empty' | 'noThread';

export interface ImportReport {
  source: string;
  /** Comments written, visible or awaiting moderation. */
  comments: number;
  pending: number;
  /** "Deleted" placeholders written so that replies to a skipped comment keep their place. */
  placeholders: number;
  /** Comments found already imported by an earlier run. */
  duplicates: number;
  /** Replies whose parent never appeared in the file, kept as top-level comments. */
  orphans: number;
  /** Comments longer than MAX_COMMENT_LENGTH, imported cut to it. */
  truncated: number;
  skipped: Record<SkipReason, number>;
  articlesCreated: number;
  articlesMatched: number;
  /** Imported authors: new ones, and ones an earlier import of the same source made. */
  usersCreated: number;
  usersMatched: number;
}
