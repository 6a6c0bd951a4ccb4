import type { Config } from '../../../config.js';
import { AppError } from '../../../domain/errors.js';
import { messages } from '../../../messages.js';
import type { PostingRule } from '../../discussion.js';

/** A new account waits a while between comments: a throwaway account cannot flood a thread. */
export const newAccountSlowdown =
  (config: Pick<Config, 'NEW_ACCOUNT_HOURS' | 'NEW_ACCOUNT_SLOWDOWN_SECONDS'>): PostingRule =>
  async (ctx) => {
    const gap = config.NEW_ACCOUNT_SLOWDOWN_SECONDS * 1000;
    if (gap <= 0 || ctx.now.getTime() - ctx.actor.user.createdAt.getTime() >= config.NEW_ACCOUNT_HOURS * 3_600_000) return null;
    const last = await ctx.store.comments.lastCommentAt(ctx.actor.user.id);
    const wait = last ? last.getTime() + gap - ctx.now.getTime() : 0;
    if (wait <= 0) return null;
    const seconds = Math.ceil(wait / 1000);
    return { refuse: new AppError(429, 'slow_down', messages.errors.slow_down(seconds), { 'retry-after': String(seconds) }) };
  };
