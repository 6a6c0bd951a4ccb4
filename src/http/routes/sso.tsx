import { ViewerInfoSchema } from '../../domain/views.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { messages } from '../../messages.js';
import { MessagePage } from '../../render/pages/MessagePage.js';
import { nameFromEmail, safeReturnPath, type Accounts } from '../../services/accounts.js';
import type { SingleSignOn } from '../../services/sso.js';
import { sendPage } from '../render.js';
import { errors } from '../schemas.js';
import { setSessionCookie } from '../session.js';
import { stringField } from '../request-fields.js';
import type { TypedApp } from '../typed-app.js';

const Token = Type.String({ minLength: 10, maxLength: 8192 });
/** Ties the confirmation form to the browser that was shown it (login CSRF without a session to hang a token on). */
const FORM_COOKIE = 'parley_sso_form';
const NONCE = /^[\w-]{43}$/;

const crossSite = () => new AppError(403, 'sso_cross_site', messages.errors.sso_cross_site);

/**
 * A sign-on must come from a page of ours: a token posted by another site would sign the
 * visitor in as whoever the token names (login CSRF). Browsers that send the Fetch Metadata
 * or Origin headers are held to them here; the form nonce covers those that send neither.
 */
function assertSameOrigin(req: FastifyRequest, ownOrigin: string): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw crossSite();
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== ownOrigin && origin !== `${req.protocol}://${req.host}`) throw crossSite();
}

function sameNonce(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !NONCE.test(a)) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The embed hands over the publisher's token as JSON and gets a session cookie back. */
export async function ssoApiRoutes(app: TypedApp, opts: { sso: SingleSignOn; accounts: Accounts; config: Config }) {
  const { sso, accounts } = opts;
  const secure = opts.config.baseUrl.startsWith('https:');
  const ownOrigin = new URL(opts.config.baseUrl).origin;

  app.post('/auth/sso', {
    config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      operationId: 'signInWithSso',
      tags: ['sso'],
      summary: "Sign in with a JWT signed by the publisher's server (see README, Single sign-on)",
      body: Type.Object({ token: Token }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          viewer: ViewerInfoSchema,
          csrfToken: Type.String(),
        }),
        ...errors(400, 401, 403, 404, 409),
      },
    },
    handler: async (req, reply) => {
      assertSameOrigin(req, ownOrigin);
      const s = await sso.signIn(req.body.token);
      setSessionCookie(reply, s.sessionToken, s.expiresAt, secure);
      const session = (await accounts.session(s.sessionToken))!;
      reply.header('cache-control', 'no-store');
      return { viewer: accounts.viewerInfo(session.actor), csrfToken: session.csrfToken };
    },
  });
}

/**
 * The publisher's site redirects the reader here with a fresh token. That arrival is a cross-site
 * navigation, exactly like an attacker's link carrying the attacker's token, so it cannot open a
 * session: it shows whom the token names and a button, and only the form that button posts, from
 * this page in this browser, signs in. The reader then lands on `return`.
 */
export async function ssoPageRoutes(app: TypedApp, opts: { sso: SingleSignOn; accounts: Accounts; config: Config }) {
  const { sso, config } = opts;
  const deps = { config, accounts: opts.accounts };
  const secure = config.baseUrl.startsWith('https:');
  const ownOrigin = new URL(config.baseUrl).origin;
  const failed = (req: FastifyRequest, reply: Parameters<typeof sendPage>[1], err: AppError, back: string) =>
    sendPage(
      req,
      reply,
      deps,
      { title: messages.sso.failedHeading, status: err.status },
      <MessagePage heading={messages.sso.failedHeading}>
        <p>{err.message}</p>
        <p>
          <a href={back}>{messages.billing.back}</a>
        </p>
      </MessagePage>,
    );

  app.get('/sso', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req, reply) => {
    const q = { token: stringField(req.query, 'token'), return: stringField(req.query, 'return') };
    const back = safeReturnPath(typeof q.return === 'string' ? q.return : undefined);
    // The address holds the token, so no request from this page may carry it as a Referer; yet not
    // `no-referrer`, under which Chromium posts the form with `Origin: null`, refused above.
    reply.header('referrer-policy', 'strict-origin').header('cache-control', 'no-store');
    try {
      if (typeof q.token !== 'string' || q.token.length > 8192) throw new AppError(401, 'sso_invalid', messages.errors.sso_invalid);
      // Checked, not spent: the reader sees whom it names before anything happens.
      const claims = await sso.verify(q.token);
      const held = req.cookies[FORM_COOKIE];
      const nonce = held && NONCE.test(held) ? held : randomBytes(32).toString('base64url');
      reply.setCookie(FORM_COOKIE, nonce, { path: '/sso', httpOnly: true, sameSite: 'strict', secure, maxAge: 3600 });
      const m = messages.sso;
      return sendPage(
        req,
        reply,
        deps,
        { title: m.confirmHeading },
        <MessagePage heading={m.confirmHeading}>
          <p>{m.confirmAs(claims.name ?? nameFromEmail(claims.email), claims.email)}</p>
          <p>{m.confirmHint}</p>
          <form method="post" action="/sso">
            <input type="hidden" name="token" value={q.token} />
            <input type="hidden" name="return" value={back} />
            <input type="hidden" name="nonce" value={nonce} />
            <button type="submit">{m.confirmButton}</button>
          </form>
        </MessagePage>,
      );
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return failed(req, reply, err, back);
    }
  });

  app.post('/sso', {
    // Checked here instead: a reader with a Parley session already has no CSRF token in this form.
    config: { csrfExempt: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      body: Type.Object(
        { token: Token, return: Type.Optional(Type.String({ maxLength: 2000 })), nonce: Type.Optional(Type.String({ maxLength: 100 })) },
        { additionalProperties: false },
      ),
    },
    handler: async (req, reply) => {
      const body = req.body;
      const back = safeReturnPath(body.return);
      reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
      try {
        assertSameOrigin(req, ownOrigin);
        if (!sameNonce(req.cookies[FORM_COOKIE], body.nonce)) throw crossSite();
        const s = await sso.signIn(body.token);
        setSessionCookie(reply, s.sessionToken, s.expiresAt, secure);
        return reply.redirect(back, 303);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return failed(req, reply, err, back);
      }
    },
  });
}
