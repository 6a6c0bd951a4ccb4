/** Pure moderation rules: how text is matched, what settings look like. No I/O. */

export const REPORT_REASONS = ['abuse', 'spam', 'off_topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** Why a comment waits in the queue; shown to moderators. */
export type HoldReason = 'premoderate_all' | 'new_account' | 'links' | 'banned_words' | 'reports';

// Who may moderate is a permission like any other: domain/permissions.ts decides it.
export { isAdmin, isModerator } from './permissions.js';

/** Site-wide pre-moderation rules, editable by admins. */
export interface ModerationSettings {
  /** Hold every comment. */
  premoderateAll: boolean;
  /** Hold comments that contain a link. */
  premoderateLinks: boolean;
  /** Hold an account's comments until this many of them were published (0: off). */
  newAccountComments: number;
  /** Hold comments containing any of these words or phrases (whole words, case and accents ignored). */
  bannedWords: string[];
}

/** Per-article overrides; an absent field follows the site. */
export type ArticleModeration = Partial<Pick<ModerationSettings, 'premoderateAll' | 'premoderateLinks' | 'newAccountComments'>>;

export const DEFAULT_MODERATION: ModerationSettings = { premoderateAll: false, premoderateLinks: false, newAccountComments: 0, bannedWords: [] };

export function effectiveModeration(site: ModerationSettings, article: ArticleModeration | null): ModerationSettings {
  return { ...site, ...Object.fromEntries(Object.entries(article ?? {}).filter(([, v]) => v !== undefined && v !== null)) };
}

/**
 * Folds text for matching: compatibility forms (fullwidth letters, ligatures) to plain ones,
 * accents stripped, case ignored. `Ｃａｆé` and `cafe` fold to the same word.
 */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;
const words = (s: string) => foldText(s).match(WORD) ?? [];

/** Cleans an admin's list: folded, trimmed, no empties or duplicates, each at most a few words. */
export function normaliseWordList(list: readonly string[]): string[] {
  const out = new Set<string>();
  for (const entry of list) {
    const w = words(entry);
    if (w.length > 0 && w.length <= 8) out.add(w.join(' '));
  }
  return [...out].slice(0, 2000);
}

/**
 * The banned words or phrases that occur in `text` as whole words: `ass` matches `Ass!` but
 * not `class` or `assume`; a phrase matches its words in sequence whatever lies between them.
 */
export function bannedWordsIn(text: string, banned: readonly string[]): string[] {
  if (banned.length === 0) return [];
  const tokens = words(text);
  const single = new Set(tokens);
  const joined = ` ${tokens.join(' ')} `;
  const hits: string[] = [];
  for (const entry of banned) {
    const w = words(entry);
    if (w.length === 0) continue;
    if (w.length === 1 ? single.has(w[0]!) : joined.includes(` ${w.join(' ')} `)) hits.push(entry);
  }
  return hits;
}

/** Suspension periods offered in the dashboard, in hours. */
export const SUSPENSION_HOURS = [24, 24 * 7, 24 * 30] as const;
