import { formatArticleDate } from '../../domain/time.js';
import { articleDateLocale } from './format.js';
import type { Article, CommentView } from '../../domain/types.js';
import { messages } from '../../messages.js';
import { avatar } from '../../../web/widget/avatar.js';

const m = messages.pages;
const w = messages.widget;

/**
 * Inline Feedbacks without JavaScript: the comments on passages of an article, in article order,
 * each under the words it is about. With script the discussion's own tab shows the same list.
 */
export function InlinePage({ article, comments, timeZone }: { article: Article; comments: CommentView[]; timeZone: string }) {
  return (
    <section class="parley inline-page" aria-labelledby="inline-heading">
      <p>
        <a href={`/articles/${article.slug}`}>{m.backToArticle(article.title)}</a>
      </p>
      <h1 id="inline-heading">{w.inline}</h1>
      {comments.length === 0 ? (
        <p class="parley-empty">{w.inlineTab.none}</p>
      ) : (
        <ol class="parley-threads">
          {comments.map((c) => {
            const face = avatar(c.author?.name ?? null, String(c.author?.id ?? c.id));
            // A comment as the discussion marks it up (CommentItem.tsx), for the same styles.
            return (
              <li class="parley-thread" key={c.id}>
                <blockquote class="parley-passage-quote">
                  {c.anchor?.exact}
                  {c.anchor?.status === 'orphaned' ? <span class="parley-badge">{w.inlineTab.orphaned}</span> : null}
                </blockquote>
                <article id={`comment-${c.id}`} class={face.hue} aria-labelledby={`comment-${c.id}-author`}>
                  <header data-i={face.initials}>
                    <b id={`comment-${c.id}-author`}>{c.author?.name}</b>
                    <a href={`/articles/${article.slug}?comment=${c.id}#comment-${c.id}`}>
                      <time datetime={c.createdAt}>{formatArticleDate(new Date(c.createdAt), timeZone, articleDateLocale())}</time>
                    </a>
                  </header>
                  <div dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
                </article>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
