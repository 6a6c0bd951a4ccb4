import type { PostingRule } from '../../discussion.js';
import type { ModerationRules } from '../settings.js';

/** A newcomer's first N comments wait for a moderator; after N published ones they flow freely. */
export const newAccount =
  (rules: ModerationRules): PostingRule =>
  async (ctx) => {
    const n = (await rules.forPost(ctx)).newAccountComments;
    if (n <= 0) return null;
    return (await ctx.store.comments.publishedCount(ctx.actor.user.id, n)) < n ? { hold: 'new_account' } : null;
  };
