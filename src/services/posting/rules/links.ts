import MarkdownIt from 'markdown-it';
import type { PostingRule } from '../../discussion.js';
import type { ModerationRules } from '../settings.js';

// The renderer's link detector, made fuzzier: "cheap-pills.com" is a link to a reader even where
// the renderer leaves it as text, and spam relies on exactly that.
const linkify = new MarkdownIt().linkify.set({ fuzzyLink: true, fuzzyIP: true, fuzzyEmail: true });

export function containsLink(text: string): boolean {
  return /\]\(|<[a-z][\w+.-]*:/i.test(text) || linkify.test(text);
}

/** Comments with links wait for a moderator when the site or the article says so (spam carries links). */
export const links =
  (rules: ModerationRules): PostingRule =>
  async (ctx) =>
    (await rules.forPost(ctx)).premoderateLinks && containsLink(ctx.text) ? { hold: 'links' } : null;
