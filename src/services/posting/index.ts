import type { Config } from '../../config.js';
import { exemptFromPostingRules } from '../../domain/permissions.js';
import type { PostingRule } from '../discussion.js';
import { bannedWords } from './rules/bannedWords.js';
import { duplicate } from './rules/duplicate.js';
import { links } from './rules/links.js';
import { lockedThread } from './rules/lockedThread.js';
import { newAccount } from './rules/newAccount.js';
import { newAccountSlowdown } from './rules/newAccountSlowdown.js';
import { premoderateAll } from './rules/premoderateAll.js';
import type { ModerationRules } from './settings.js';

/** Moderators answer in locked and moderated threads without waiting for themselves. */
const exceptStaff =
  (rule: PostingRule): PostingRule =>
  (ctx) =>
    exemptFromPostingRules(ctx.actor, ctx.now) ? Promise.resolve(null) : rule(ctx);

/**
 * The posting pipeline, in order: refusals first (cheap, and nothing is stored), then the rules
 * that hold a comment for review. The first hold names the reason moderators see, so the most
 * telling reasons come first. Adding a rule is one file in rules/ and one line here.
 */
export function postingRules(config: Config, rules: ModerationRules): PostingRule[] {
  return [lockedThread(), newAccountSlowdown(config), duplicate(config), bannedWords(rules), links(rules), newAccount(rules), premoderateAll(rules)].map(
    exceptStaff,
  );
}

/**
 * The rules that judge words, run again when an author edits a visible comment: otherwise a clean
 * comment could be edited into one they would have held. Thread state and pace rules judged the
 * post itself and do not apply to an edit.
 */
export function editRules(rules: ModerationRules): PostingRule[] {
  return [bannedWords(rules), links(rules)].map(exceptStaff);
}

export { ModerationRules } from './settings.js';
