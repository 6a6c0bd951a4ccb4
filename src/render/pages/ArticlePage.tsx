import type { Article, DiscussionState } from '../../domain/types.js';
import { formatArticleDate } from '../../domain/time.js';
import { articleDateLocale } from './format.js';
import { DiscussionMount, type SharedThreads } from './DiscussionMount.js';
import { messages } from '../../messages.js';
import { NotifyForm } from './NotifyForm.js';
import { Paywall, type PaywallInfo } from './Paywall.js';

export interface ArticlePageProps {
  article: Article;
  bodyHtml: string;
  timeZone: string;
  state: DiscussionState;
  /** Set when the meter cut the body short: `bodyHtml` is then only its start. */
  truncated?: PaywallInfo | null;
  /** Where a signed-in subscriber's subscription stands; `attention` when it is ending or unpaid. */
  subscription?: { text: string; attention: boolean } | null;
  /** The discussion's markup when rendered already (a signed-in reader's, mostly shared). */
  discussionHtml?: string;
  /** Where the state carries the threads every reader shares (see DiscussionMount). */
  sharedThreads?: SharedThreads;
}

export function ArticlePage({ article: a, bodyHtml, timeZone, state, truncated, subscription, discussionHtml, sharedThreads }: ArticlePageProps) {
  return (
    <>
      <article class="article" aria-labelledby="article-title">
        <header>
          <h1 id="article-title">{a.title}</h1>
          {a.standfirst ? <p class="standfirst">{a.standfirst}</p> : null}
          {a.image ? (
            <figure class="article-image">
              <img src={a.image} alt="" width={1200} height={630} />
              {a.imageCredit ? <figcaption>{a.imageCredit}</figcaption> : null}
            </figure>
          ) : a.imageCredit ? (
            <p class="image-credit">{a.imageCredit}</p>
          ) : null}
          <p class="article-meta">
            {a.author ? <span class="byline">{a.author}</span> : null}
            <time datetime={a.publishedAt.toISOString()}>{formatArticleDate(a.publishedAt, timeZone, articleDateLocale())}</time>
          </p>
        </header>
        <div class="article-body" dangerouslySetInnerHTML={{ __html: bodyHtml }} />
        {truncated ? <Paywall {...truncated} /> : null}
        {a.authorBio || a.authorHandle ? (
          <aside class="author-bio" aria-label={a.author || 'Author'}>
            {a.authorBio ? <p>{a.authorBio}</p> : null}
            {a.authorHandle ? <p class="author-handle">{a.authorHandle}</p> : null}
          </aside>
        ) : null}
      </article>
      {subscription ? (
        <p class={subscription.attention ? 'subscription-state attention' : 'subscription-state'}>
          {subscription.text} {subscription.attention ? <a href="/account">{messages.billing.manage}</a> : null}
        </p>
      ) : null}
      <noscript>
        <p class="inline-link">
          <a href={`/articles/${a.slug}/inline`}>{messages.pages.inlineLink}</a>
        </p>
        <NotifyForm articleId={a.id} slug={a.slug} follow={state.follow} csrfToken={state.csrfToken} />
      </noscript>
      <DiscussionMount state={state} html={discussionHtml} threads={sharedThreads} />
    </>
  );
}
