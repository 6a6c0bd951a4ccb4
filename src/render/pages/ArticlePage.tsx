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
  /** Stands for the state's JSON (see DiscussionMount). */
  stateJson?: string;
}

/**
 * What an article page shows besides the marks a signed-in reader's page is filled in at
 * (src/http/reader-shells.ts): pages of one kind differ only there. Whatever else the page comes
 * to show must be named here, or one reader would get a page made for another.
 */
export function articlePageKind(p: {
  article: Article;
  role: string;
  truncated: PaywallInfo | null;
  subscription: { attention: boolean } | null;
  state: Pick<DiscussionState, 'follow' | 'elsewhere'>;
}): string {
  const a = p.article;
  return JSON.stringify([
    [a.id, a.slug, a.title, a.standfirst, a.image, a.imageCredit, a.author, a.publishedAt.getTime(), a.authorBio, a.authorHandle],
    p.role,
    p.truncated,
    p.subscription?.attention ?? null,
    p.state.follow,
    p.state.elsewhere ?? null,
  ]);
}

export function ArticlePage({ article: a, bodyHtml, timeZone, state, truncated, subscription, discussionHtml, sharedThreads, stateJson }: ArticlePageProps) {
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
      <DiscussionMount state={state} html={discussionHtml} threads={sharedThreads} stateJson={stateJson} />
    </>
  );
}
