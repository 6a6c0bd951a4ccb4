import type { PostingRule } from '../../discussion.js';
import type { ModerationRules } from '../settings.js';

/** Every comment waits for a moderator, when the site or the article says so. */
export const premoderateAll =
  (rules: ModerationRules): PostingRule =>
  async (ctx) =>
    (await rules.forPost(ctx)).premoderateAll ? { hold: 'premoderate_all' } : null;
