import { bannedWordsIn } from '../../../domain/moderation.js';
import type { PostingRule } from '../../discussion.js';
import type { ModerationRules } from '../settings.js';

/** Comments using a banned word or phrase (whole words, case and accents ignored) wait for a moderator. */
export const bannedWords =
  (rules: ModerationRules): PostingRule =>
  async (ctx) =>
    bannedWordsIn(ctx.text, (await rules.forPost(ctx)).bannedWords).length > 0 ? { hold: 'banned_words' } : null;
