import type { Article } from '../../domain/types.js';
import { formatArticleDate } from '../../domain/time.js';
import { articleDateLocale } from './format.js';
import { messages } from '../../messages.js';

export function HomePage({ articles, timeZone }: { articles: Article[]; timeZone: string }) {
  const m = messages.pages;
  return (
    <section class="home" aria-labelledby="home-heading">
      <h1 id="home-heading">{m.homeHeading}</h1>
      <ul class="article-list">
        {articles.map((a) => (
          <li key={a.id}>
            <h2>
              <a href={`/articles/${a.slug}`}>{a.title}</a>
            </h2>
            {a.standfirst ? <p class="standfirst">{a.standfirst}</p> : null}
            <p class="article-meta">
              {a.author ? <span class="byline">{a.author}</span> : null}
              <time datetime={a.publishedAt.toISOString()}>{formatArticleDate(a.publishedAt, timeZone, articleDateLocale())}</time>
              <a href={`/articles/${a.slug}#comments`}>{m.commentsCount(a.commentCount)}</a>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
