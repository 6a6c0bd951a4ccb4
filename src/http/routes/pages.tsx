import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import type { Article, DiscussionState } from '../../domain/types.js';
import type { PaywallInfo } from '../../render/pages/Paywall.js';
import { messages } from '../../messages.js';
import { widgetScript } from '../../messages/locales.js';
import { currentLocale, withLocale } from '../../messages/scope.js';
import { articleLocale } from '../../services/article-locales.js';
import { renderArticleMarkdown, renderArticleTeaser } from '../../render/markdown.js';
import { ArticlePage, articlePageKind } from '../../render/pages/ArticlePage.js';
import { HomePage } from '../../render/pages/HomePage.js';
import { MessagePage } from '../../render/pages/MessagePage.js';
import { SignInPage, VerifyPage } from '../../render/pages/SignInPage.js';
import type { Accounts } from '../../services/accounts.js';
import type { Discussions } from '../../services/discussion.js';
import { GUEST_PAGE_STALE_MS } from '../../services/page-cache.js';
import type { Metering } from '../../services/metering.js';
import { meterArticle } from '../meter.js';
import type { Store } from '../../store/store.js';
import { formErrorPages } from '../form-errors.js';
import { signInMailLimit } from '../limits.js';
import { headerSafe, returnLocation } from '../locations.js';
import { renderFor, renderPage, sendPage } from '../render.js';
import { ReaderShells } from '../reader-shells.js';
import { cachedBody, type EncodedBody, sendEncoded } from '../compression.js';
import { asset } from '../../render/assets.js';
import { AllReplies, Cursor, Expand, expandIds, Id, Sort } from '../schemas.js';
import { clearSessionCookie, setSessionCookie } from '../session.js';
import { allowedOrigin, embedOrigins } from '../embed-origins.js';
import { stringField } from '../request-fields.js';
import type { TypedApp } from '../typed-app.js';
import { subscriptionSentence } from '../../render/pages/SubscribePage.js';
import { InlinePage } from '../../render/pages/InlinePage.js';
import type { Billing } from '../../services/billing.js';
import { DiscussionMarkup, textMarkup } from '../../render/discussion-html.js';
import { StateThreads } from '../../render/state-threads.js';
import { embedJson, hydrationState, type SharedThreads } from '../../render/pages/DiscussionMount.js';
import { fillMarks, pieceMark, sendPieces } from '../page-pieces.js';
import { CommonRuns, Deflated, type OwnBytes, type Piece } from '../composed-gzip.js';

const m = messages.pages;
const SignInForm = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' }),
  returnTo: Type.Optional(Type.String({ maxLength: 2000 })),
});

/** A missing article reads as none; any other failure stays one. */
const unlessMissing = (err: unknown): null => {
  if (err instanceof AppError && err.code === 'article_not_found') return null;
  throw err;
};

/** Server-rendered pages: the front page, articles with their discussion, sign-in. */
export async function pageRoutes(
  app: TypedApp,
  opts: { config: Config; accounts: Accounts; discussions: Discussions; store: Pick<Store, 'articles'>; metering: Metering; billing: Billing },
) {
  const { config, accounts, discussions, store, metering, billing } = opts;
  const deps = { config, accounts };
  const secure = config.baseUrl.startsWith('https:');
  // Never our own origin: an article whose URL is this page must not send readers round in a loop.
  const publisherOrigins = embedOrigins(config).filter((o) => o !== new URL(config.baseUrl).origin);
  formErrorPages(app, deps);
  // Guests' article pages, whole and cut by the meter, per sort: rendered and compressed once per
  // change of the article's discussion (or per minute), shared by every guest.
  const guestPages = discussions.derivedCache<EncodedBody>({ serveStaleMs: GUEST_PAGE_STALE_MS, refreshEveryMs: config.GUEST_PAGE_REFRESH_MS });
  // An article's text changes only when its file does; rendering its Markdown took a good part of
  // each signed-in page. Kept per article and checked against the text itself, so an edited
  // article renders afresh (a key made of the text cost hashing all of it on every view).
  // Signed-in pages also take it deflated once (src/http/composed-gzip.ts).
  const articleHtml = new Map<string, { body: string; html: string; deflated?: Deflated }>();
  const articleEntry = (article: Pick<Article, 'id' | 'body'>, cut: boolean) => {
    const key = `${article.id}:${cut ? 'cut' : 'whole'}`;
    let entry = articleHtml.get(key);
    if (entry?.body !== article.body) {
      entry = { body: article.body, html: cut ? renderArticleTeaser(article.body, 2) : renderArticleMarkdown(article.body) };
      articleHtml.delete(key);
      if (articleHtml.size >= 500) articleHtml.delete(articleHtml.keys().next().value!);
      articleHtml.set(key, entry);
    }
    return entry;
  };
  const articleText = (article: Pick<Article, 'id' | 'body'>, cut: boolean) => articleEntry(article, cut).html;
  const articleDeflated = (article: Pick<Article, 'id' | 'body'>, cut: boolean) => {
    const entry = articleEntry(article, cut);
    return (entry.deflated ??= new Deflated(Buffer.from(entry.html)));
  };

  const articleNotFound = (req: FastifyRequest, reply: FastifyReply) =>
    sendPage(
      req,
      reply,
      deps,
      { title: m.notFoundHeading, status: 404 },
      <MessagePage heading={m.notFoundHeading}>
        <p>
          <a href="/">{m.backHome}</a>
        </p>
      </MessagePage>,
    );

  app.get('/', async (req, reply) => {
    const articles = await store.articles.list(50);
    return sendPage(req, reply, deps, { title: config.PUBLICATION_NAME }, <HomePage articles={articles} timeZone={config.PUBLICATION_TIMEZONE} />);
  });

  // Where each slug leads (its article, or the publisher's page an embedded discussion lives on),
  // learnt from the database and trusted for as long as a cached page is: guests' pages then
  // cost no query at all.
  const slugs = new Map<string, { id: number; publisherPage: string | null; at: number }>();
  const SLUG_TTL_MS = 60_000;
  const lookUp = async (slug: string) => {
    const known = slugs.get(slug);
    if (known && Date.now() - known.at < SLUG_TTL_MS) return known;
    const article = await store.articles.bySlug(slug);
    if (!article) {
      slugs.delete(slug);
      return null;
    }
    // A discussion registered by the embed lives on the publisher's page: readers who land here
    // (back from signing in or subscribing) go there.
    // An address no header can hold (stored by an older embed or an import) shows the page here instead.
    const publisherPage = article.url && allowedOrigin(article.url, publisherOrigins) ? headerSafe(article.url.split('#')[0]!) : null;
    const entry = { id: article.id, publisherPage, at: Date.now() };
    if (slugs.size >= 5000) slugs.delete(slugs.keys().next().value!);
    slugs.set(slug, entry);
    return entry;
  };

  // Signed-in readers' pages: their discussion rendered once per kind of reader and page
  // (src/render/discussion-html.ts), the article's text and those shared parts compressed once.
  const readerMarkup = new DiscussionMarkup();
  const stateThreads = new StateThreads();
  // What of a signed-in reader's page is theirs alone: their name, token and account. The rest
  // of what the page adds around its shared pieces is the same on other readers' copies of it.
  const commonRuns = new CommonRuns();
  const ownBytes = ({ viewer, csrfToken }: DiscussionState): OwnBytes => ({
    apart: [viewer && textMarkup(viewer.name), csrfToken, viewer && embedJson(viewer)].filter((s): s is string => !!s).map((s) => Buffer.from(s)),
    common: commonRuns,
  });
  const BODY = pieceMark('body');
  const DISCUSSION = pieceMark('discussion');
  const THREADS = pieceMark('threads');
  // In the state's JSON the mark is a string: its quotes go with it.
  const THREADS_IN_JSON = JSON.stringify(THREADS);
  // Where a signed-in reader's own text goes in a page rendered once for all readers of its kind.
  const NAME = pieceMark('name');
  const CSRF = pieceMark('csrf');
  const SUBSCRIPTION = pieceMark('subscription');
  const STATE = pieceMark('state');
  const readerShells = new ReaderShells([BODY, DISCUSSION, NAME, CSRF, SUBSCRIPTION, STATE]);
  const page = (
    article: Article,
    state: DiscussionState,
    truncated: PaywallInfo | null,
    subscription: { text: string; attention: boolean } | null,
    marks?: { body: string; discussion: string; threads?: SharedThreads; state?: string },
  ) => (
    <ArticlePage
      article={article}
      bodyHtml={marks?.body ?? articleText(article, truncated !== null)}
      timeZone={config.PUBLICATION_TIMEZONE}
      state={state}
      truncated={truncated}
      subscription={subscription}
      discussionHtml={marks?.discussion}
      sharedThreads={marks?.threads}
      stateJson={marks?.state}
    />
  );
  const pageOptions = (article: Article) => ({
    title: `${article.title} | ${config.PUBLICATION_NAME}`,
    description: article.standfirst,
    scripts: [asset(widgetScript(currentLocale()))],
  });

  app.get('/articles/:slug', {
    schema: {
      params: Type.Object({ slug: Type.String({ maxLength: 200 }) }),
      querystring: Type.Object({ sort: Sort, cursor: Type.Optional(Cursor), comment: Type.Optional(Id), all: AllReplies, expand: Expand }),
    },
    handler: async (req, reply) => {
      const slug = req.params.slug;
      const found = await lookUp(slug);
      if (!found) {
        return articleNotFound(req, reply);
      }
      // The article's page, its widget and its meter speak the article's language.
      return withLocale(articleLocale(store, found.id), async () => {
        const q = req.query;
        if (found.publisherPage) {
          return reply.redirect(`${found.publisherPage}${q.comment ? `#comment-${q.comment}` : '#comments'}`, 303);
        }
        if (!req.actor && q.cursor === undefined && q.comment === undefined && q.all === undefined && q.expand === undefined) {
          // A guest's page is one of two per sort, whole or cut: the meter (a signed cookie, no
          // database) picks which, and only its cookie is this reader's own.
          const truncated = await meterArticle(req, reply, metering, { id: found.id, slug }, { secure, allowance: config.METER_FREE_ARTICLES });
          const returnPath = `/articles/${encodeURIComponent(slug)}${req.query.sort ? `?sort=${q.sort}` : ''}`;
          const body = await guestPages.get(found.id, `${q.sort}:${returnPath}:${truncated ? 'cut' : 'whole'}`, async (servedMeanwhile) => {
            // Read afresh: the page must show the article as it is now, not as the slug was learnt.
            const article = await discussions.article(found.id);
            const state = await discussions.state(article, null, null, { sort: q.sort, linkTargets: true });
            return cachedBody(
              Buffer.from(renderPage(req, deps, { ...pageOptions(article), returnPath }, page(article, state, truncated, null))),
              'text/html; charset=utf-8',
              servedMeanwhile,
            );
          });
          reply.header('cache-control', 'private, no-cache');
          return sendEncoded(req, reply, body);
        }
        const current = await discussions
          .currentState(found.id, req.actor, req.csrfToken, {
            sort: q.sort,
            cursor: q.cursor,
            focusCommentId: q.comment,
            all: q.all === '1',
            expand: expandIds(q.expand),
            linkTargets: true,
          })
          .catch(unlessMissing);
        if (!current) {
          slugs.delete(slug);
          return articleNotFound(req, reply);
        }
        const { article, state } = current;
        const truncated = await meterArticle(req, reply, metering, article, { secure, allowance: config.METER_FREE_ARTICLES });
        // Signed-in subscribers see where their subscription stands (readers without one see the join block).
        const sub = req.actor ? await billing.subscription(req.actor) : null;
        const subscription =
          sub && sub.kind !== 'none' ? { text: subscriptionSentence(sub, config.PUBLICATION_TIMEZONE), attention: sub.kind !== 'active' } : null;
        const discussion = readerMarkup.pieces(state, discussions.sharedPageOf(state.page));
        if (!discussion) return sendPage(req, reply, deps, pageOptions(article), page(article, state, truncated, subscription));
        // Times as the shared markup shows them, so the page stays the same (and 304s) until the discussion changes.
        const shown = { ...state, now: discussion.now };
        const threads = stateThreads.of(state.page, discussions.sharedPageOf(state.page));
        const marks = { body: BODY, discussion: DISCUSSION, threads: threads ? { mark: THREADS, own: threads.own } : undefined };
        const fills = new Map<string, Piece[]>([
          [BODY, [articleDeflated(article, truncated !== null)]],
          [DISCUSSION, discussion.pieces],
        ]);
        const viewer = req.actor ? accounts.viewerInfo(req.actor) : null;
        if (!viewer) {
          // A guest's page with a cursor or a linked comment: one of many, rendered for its address.
          const html = renderPage(req, deps, pageOptions(article), page(article, shown, truncated, subscription, marks));
          if (threads) fills.set(THREADS_IN_JSON, [threads.json]);
          return sendPieces(req, reply, fillMarks(html, fills), ownBytes(state));
        }
        const stateJson = embedJson(hydrationState(shown, marks.threads));
        fills
          .set(NAME, [Buffer.from(textMarkup(viewer.name))])
          .set(CSRF, [Buffer.from(textMarkup(req.csrfToken ?? ''))])
          .set(STATE, threads ? fillMarks(stateJson, new Map([[THREADS_IN_JSON, [threads.json]]])) : [Buffer.from(stateJson)]);
        if (subscription) fills.set(SUBSCRIPTION, [Buffer.from(textMarkup(subscription.text))]);
        const kind = `${currentLocale()}:${articlePageKind({ article, role: viewer.role, truncated, subscription, state })}`;
        const pieces = readerShells.pieces(
          kind,
          () =>
            renderFor(
              { viewer: { name: NAME, role: viewer.role }, csrfToken: CSRF, returnPath: req.url },
              config,
              pageOptions(article),
              page(article, { ...shown, csrfToken: CSRF }, truncated, subscription && { ...subscription, text: SUBSCRIPTION }, { ...marks, state: STATE }),
            ),
          fills,
        );
        return sendPieces(req, reply, pieces, ownBytes(state));
      });
    },
  });

  app.get('/articles/:slug/inline', { schema: { params: Type.Object({ slug: Type.String({ maxLength: 200 }) }) } }, async (req, reply) => {
    const article = await store.articles.bySlug(req.params.slug);
    if (!article) {
      return articleNotFound(req, reply);
    }
    return withLocale(articleLocale(store, article.id), async () => {
      const comments = await discussions.passages(article.id, req.actor);
      return sendPage(
        req,
        reply,
        deps,
        { title: `${messages.widget.inline} | ${article.title}` },
        <InlinePage article={article} comments={comments} timeZone={config.PUBLICATION_TIMEZONE} />,
      );
    });
  });

  app.get('/signin', async (req, reply) => {
    const returnTo = returnLocation(stringField(req.query, 'return'));
    // Publishers with their own accounts sign readers in there and hand them back through
    // `/sso?token=…&return={return}` (README, Single sign-on).
    if (config.SSO_LOGIN_URL) return reply.redirect(config.SSO_LOGIN_URL.replace('{return}', encodeURIComponent(returnTo)), 303);
    return sendPage(req, reply, deps, { title: m.signInHeading }, <SignInPage returnTo={returnTo} csrfToken={req.csrfToken} />);
  });

  app.post('/signin', {
    config: { rateLimit: { max: config.LOGIN_LIMIT_PER_HOUR, timeWindow: '1 hour' } },
    // Per address too, so nobody can fill a stranger's inbox from many machines.
    preHandler: signInMailLimit(app, { max: config.LOGIN_LIMIT_PER_EMAIL_PER_HOUR, timeWindow: '1 hour' }),
    handler: async (req, reply) => {
      const form = req.body as Record<string, unknown> | undefined;
      const returnTo = returnLocation(typeof form?.returnTo === 'string' ? form.returnTo : undefined);
      if (!Value.Check(SignInForm, form)) {
        return sendPage(
          req,
          reply,
          deps,
          { title: m.signInHeading, status: 400 },
          <SignInPage returnTo={returnTo} error={messages.errors.validation} csrfToken={req.csrfToken} />,
        );
      }
      await accounts.requestLogin(form.email, returnTo);
      return sendPage(
        req,
        reply,
        deps,
        { title: m.signInHeading },
        <MessagePage heading={m.signInHeading}>
          <p role="status">{m.linkSent(form.email)}</p>
        </MessagePage>,
      );
    },
  });

  // A GET only shows a button: mail scanners that open links must not spend the one-time token.
  app.get('/auth/verify', async (req, reply) => {
    const token = String(stringField(req.query, 'token') ?? '').slice(0, 100);
    return sendPage(req, reply, deps, { title: m.verifyHeading }, <VerifyPage token={token} csrfToken={req.csrfToken} />);
  });

  app.post('/auth/verify', async (req, reply) => {
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    try {
      if (typeof token !== 'string' || token.length > 100) throw new AppError(400, 'login_link_invalid', messages.errors.login_link_invalid);
      const s = await accounts.completeLogin(token);
      setSessionCookie(reply, s.sessionToken, s.expiresAt, secure);
      // Stored before return paths were made header-safe, a path could still break the redirect.
      return reply.redirect(headerSafe(s.returnTo) ?? '/', 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return sendPage(
        req,
        reply,
        deps,
        { title: m.linkInvalidHeading, status: 400 },
        <MessagePage heading={m.linkInvalidHeading}>
          <p>{err.message}</p>
          <p>
            <a href="/signin">{m.signIn}</a>
          </p>
        </MessagePage>,
      );
    }
  });

  app.post('/signout', async (req, reply) => {
    if (req.sessionToken) await accounts.logout(req.sessionToken);
    clearSessionCookie(reply, secure);
    return reply.redirect('/', 303);
  });

  // /subscribe lives with the rest of billing in routes/billing.tsx.
}
