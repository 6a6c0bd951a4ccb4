import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import type { Config } from '../../config.js';
import { messages } from '../../messages.js';
import { LOCALES } from '../../messages/locales.js';
import { withLocale } from '../../messages/scope.js';
import { EmbedFrame } from '../../render/pages/EmbedFrame.js';
import { MessagePage } from '../../render/pages/MessagePage.js';
import type { Discussions } from '../../services/discussion.js';
import type { EmbeddedArticles } from '../../services/embedded-articles.js';
import { AppError } from '../../domain/errors.js';
import type { SingleSignOn } from '../../services/sso.js';
import { allowedOrigin, embedOrigins } from '../embed-origins.js';
import { publisherScript } from '../publisher-script.js';
import { sendPage } from '../render.js';
import { clearEmbedSessionCookie, EMBED_SESSION_COOKIE, setEmbedSessionCookie } from '../session.js';
import type { Accounts } from '../../services/accounts.js';
import { Id, Sort } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

const Color = Type.String({ pattern: '^#[0-9a-fA-F]{3,8}$' });
const Theme = {
  accent: Type.Optional(Color),
  bg: Type.Optional(Color),
  fg: Type.Optional(Color),
  muted: Type.Optional(Color),
  border: Type.Optional(Color),
  font: Type.Optional(Type.String({ maxLength: 120, pattern: `^[A-Za-z0-9 ,'"-]+$` })),
  // The host page's own colour scheme, when it has only one: the frame then keeps to it.
  scheme: Type.Optional(Type.Union([Type.Literal('light'), Type.Literal('dark')])),
};
type ThemeQuery = { [K in keyof typeof Theme]?: string };

/** A publisher's own article id becomes a slug of ours; the hash keeps distinct ids distinct. */
/** The page-level CSP with frame-ancestors opened to the publisher origins allowed to embed. */
function frameCsp(origins: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    `frame-ancestors ${origins.length ? origins.join(' ') : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The embed: `embed.js` for publishers' pages and the frame it loads. */
export async function embedRoutes(
  app: TypedApp,
  opts: { config: Config; embedded: EmbeddedArticles; discussions: Discussions; accounts: Accounts; sso: SingleSignOn },
) {
  const { config, embedded, discussions, accounts, sso } = opts;
  const allowed = embedOrigins(config);
  const deps = { config, accounts: opts.accounts };

  /**
   * The publisher's page is the authority on who reads it: a token for another reader replaces the
   * frame's session, a token for the same reader keeps it (other frames on the page hold its CSRF
   * token), and an empty one ends it. A bad token leaves the reader a guest; the reason is logged
   * for the publisher's engineers, never shown inside their page.
   */
  async function signOnInFrame(req: FastifyRequest, reply: FastifyReply, token: string): Promise<void> {
    const raw = req.cookies[EMBED_SESSION_COOKIE];
    const previous = raw && raw.length <= 100 ? raw : null;
    // Only inside a frame (a header pages cannot forge): a top-level visit with someone else's
    // token would otherwise sign this browser in as them (login CSRF).
    let next: Awaited<ReturnType<SingleSignOn['signIn']>> | null = null;
    if (token && req.headers['sec-fetch-dest'] === 'iframe') {
      try {
        next = await sso.signIn(token);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        req.log.warn({ code: err.code }, 'embed sign-on refused');
      }
    }
    const current = previous ? await accounts.session(previous) : null;
    if (next && current?.actor.user.id === next.user.id) return accounts.logout(next.sessionToken);
    if (previous) await accounts.logout(previous);
    if (next) setEmbedSessionCookie(reply, next.sessionToken, next.expiresAt);
    else clearEmbedSessionCookie(reply);
  }

  publisherScript(app, 'embed.js');

  app.get('/embed/theme.css', { schema: { querystring: Type.Object(Theme, { additionalProperties: false }) } }, async (req, reply) => {
    const { scheme: _scheme, ...q } = req.query as ThemeQuery;
    const vars = Object.entries(q).map(([k, v]) => `--parley-${k}:${v}`);
    // On .parley itself (after widget.css), or the widget's own defaults there would win.
    const frameBg = q.bg ? `html.parley-embed{background:${q.bg}}` : '';
    return reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(`.parley{${vars.join(';')}}${frameBg}\n`);
  });

  app.get('/embed/frame', {
    config: { rateLimit: { max: config.LIVE_CONNECTS_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      querystring: Type.Object(
        {
          article: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:/-]+$' }),
          // No whitespace or control characters: the address ends up in a Location header (pages.tsx).
          url: Type.String({
            minLength: 8,
            maxLength: 2000,
            pattern: '^https?://[^\\s/?#\\u0000-\\u001f\\u007f-\\u009f]+([/?#][^\\s\\u0000-\\u001f\\u007f-\\u009f]*)?$',
          }),
          title: Type.String({ minLength: 1, maxLength: 300 }),
          sort: Sort,
          comment: Type.Optional(Id),
          // The publisher's sign-on token for the reader on their page; empty when nobody is signed in there.
          sso: Type.Optional(Type.String({ maxLength: 8192 })),
          /** The host page's language (`data-parley-lang`), else LOCALE. */
          lang: Type.Optional(Type.Union(LOCALES.map((l) => Type.Literal(l)))),
          ...Theme,
        },
        { additionalProperties: false },
      ),
    },
    handler: async (req, reply) => {
      const q = req.query;
      const pageUrl = URL.canParse(q.url) ? new URL(q.url).href : null;
      if (!pageUrl) throw new AppError(400, 'validation', messages.errors.embed_url_invalid);
      if (!allowedOrigin(q.url, allowed)) {
        reply.header('content-security-policy', frameCsp([]));
        return sendPage(
          req,
          reply,
          deps,
          { title: messages.embed.refusedHeading, status: 403 },
          <MessagePage heading={messages.embed.refusedHeading}>
            <p>{messages.embed.refusedText}</p>
          </MessagePage>,
        );
      }
      if (q.sso !== undefined) {
        await signOnInFrame(req, reply, q.sso);
        // The token is spent: reload without it, so it never sits in the frame's address, its
        // history or a return link built from it.
        const { sso: _spent, ...rest } = q;
        return reply
          .header('cache-control', 'no-store')
          .redirect(`/embed/frame?${new URLSearchParams(Object.entries(rest).map(([k, v]) => [k, String(v)]))}`, 303);
      }
      const article = await embedded.register(q.article, pageUrl, q.title);
      // The frame, its widget and its strings speak the host page's language.
      return withLocale(q.lang, async () => {
        const state = await discussions.state(article, req.actor, req.csrfToken, { sort: q.sort, focusCommentId: q.comment });
        const { article: _a, url: _u, title: _t, sort: _s, comment: _c, sso: _x, lang: _l, scheme, ...theme } = q;
        const themeCss = Object.keys(theme).length ? `/embed/theme.css?${new URLSearchParams(theme as Record<string, string>)}` : null;
        reply.removeHeader('x-frame-options');
        return reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', frameCsp(allowed))
          .header('cache-control', 'private, no-cache')
          .send(
            `<!doctype html>${renderToString(<EmbedFrame state={state} title={article.title} themeCss={themeCss} scheme={(scheme as 'light' | 'dark' | undefined) ?? null} />)}`,
          );
      });
    },
  });
}
