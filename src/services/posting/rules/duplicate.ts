import type { Config } from '../../../config.js';
import { conflict } from '../../../domain/errors.js';
import { messages } from '../../../messages.js';
import type { PostingRule } from '../../discussion.js';

/**
 * The same words from the same reader twice within the window: a double click or a flood. The
 * refusal names the comment already there, so a client that lost the first answer can show it.
 * It holds only because posting runs the rules inside the author-serialised write transaction.
 */
export const duplicate =
  (config: Pick<Config, 'DUPLICATE_WINDOW_MINUTES'>): PostingRule =>
  async (ctx) => {
    if (config.DUPLICATE_WINDOW_MINUTES <= 0) return null;
    const since = new Date(ctx.now.getTime() - config.DUPLICATE_WINDOW_MINUTES * 60_000);
    const commentId = await ctx.store.comments.recentDuplicate(ctx.actor.user.id, ctx.text, since);
    return commentId === null ? null : { refuse: conflict('duplicate_comment', messages.errors.duplicate_comment, { commentId }) };
  };
