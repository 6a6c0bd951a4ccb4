import { anchor, normaliseText, validateAnchor, type Anchor } from '../domain/anchoring.js';
import { badRequest } from '../domain/errors.js';
import type { Article } from '../domain/types.js';
import { messages } from '../messages.js';
import { articleText } from '../render/article-text.js';
import { renderArticleMarkdown } from '../render/markdown.js';
import type { Store } from '../store/store.js';

/** The article's text as passage anchors count it (the browser derives the same from the page). */
export function anchorableText(body: string): string {
  return normaliseText(articleText(renderArticleMarkdown(body)));
}

/** Checks posted selectors and finds them in the article as it is now. */
export function placeAnchor(article: Article, selectors: unknown): { selectors: Anchor; start: number; end: number } {
  const problems = validateAnchor(selectors);
  if (problems.length) throw badRequest('bad_anchor', `${messages.errors.bad_anchor} ${problems.join('; ')}`);
  const a = selectors as Anchor;
  const clean: Anchor = {
    quote: { type: 'TextQuoteSelector', exact: a.quote.exact, prefix: a.quote.prefix, suffix: a.quote.suffix },
    position: { type: 'TextPositionSelector', start: a.position.start, end: a.position.end },
  };
  const r = anchor(anchorableText(article.body), clean);
  if (r.status === 'orphaned') throw badRequest('anchor_not_found', messages.errors.anchor_not_found);
  return { selectors: clean, start: r.start, end: r.end };
}

/** After an article's text changed: moves each passage comment to where its words are now. */
export async function reanchorArticle(store: Pick<Store, 'comments'>, article: Article): Promise<{ anchored: number; orphaned: number }> {
  const text = anchorableText(article.body);
  let anchored = 0;
  let orphaned = 0;
  for (const c of await store.comments.anchored(article.id)) {
    const r = anchor(text, JSON.parse(c.anchor) as Anchor);
    if (r.status === 'anchored') anchored++;
    else orphaned++;
    await store.comments.setAnchorPlace(c.id, r.status === 'anchored' ? { start: r.start, end: r.end } : null);
  }
  return { anchored, orphaned };
}
