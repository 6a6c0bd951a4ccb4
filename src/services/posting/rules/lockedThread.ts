import { forbidden } from '../../../domain/errors.js';
import { messages } from '../../../messages.js';
import type { PostingRule } from '../../discussion.js';

/** A moderator locked the thread: it stays readable and takes no new replies. */
export const lockedThread = (): PostingRule => async (ctx) => {
  if (!ctx.parent) return null;
  const root = ctx.parent.rootId === null ? ctx.parent : await ctx.store.comments.byId(ctx.parent.rootId);
  return root?.locked ? { refuse: forbidden('thread_locked', messages.errors.thread_locked) } : null;
};
