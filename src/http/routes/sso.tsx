import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { messages } from '../../messages.js';
import { MessagePage } from '../../render/pages/MessagePage.js';
import { safeReturnPath, type Accounts } from '../../services/accounts.js';
import type { SingleSignOn } from '../../services/sso.js';
import { sendPage } from '../render.js';
import { errors } from '../schemas.js';
import { setSessionCookie } from '../session.js';

const Token = Type.String({ minLength: 10, maxLength: 8192 });

/** The embed hands over the publisher's token as JSON and gets a session cookie back. */
export async function ssoApiRoutes(app: FastifyInstance, opts: { sso: SingleSignOn; accounts: Accounts; config: Config }) {
  const { sso, accounts } = opts;
  const secure = opts.config.baseUrl.startsWith('https:');

  app.post('/auth/sso', {
    config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      summary: "Sign in with a JWT signed by the publisher's server (see README, Single sign-on)",
      body: Type.Object({ token: Token }, { additionalProperties: false }),
      response: { 200: Type.Object({ viewer: Type.Object({ id: Type.Integer(), name: Type.String(), email: Type.String(), role: Type.String(), subscriber: Type.Boolean(), subscriberUntil: Type.Union([Type.String(), Type.Null()]) }), csrfToken: Type.String() }), ...errors(400, 401, 404) },
    },
    handler: async (req, reply) => {
      const s = await sso.signIn((req.body as { token: string }).token);
      setSessionCookie(reply, s.sessionToken, s.expiresAt, secure);
      const session = (await accounts.session(s.sessionToken))!;
      reply.header('cache-control', 'no-store');
      return { viewer: accounts.viewerInfo(session.actor), csrfToken: session.csrfToken };
    },
  });
}

/** The publisher's site redirects the reader here with a fresh token; they land back on `return`. */
export async function ssoPageRoutes(app: FastifyInstance, opts: { sso: SingleSignOn; accounts: Accounts; config: Config }) {
  const { sso, config } = opts;
  const deps = { config, accounts: opts.accounts };
  const secure = config.baseUrl.startsWith('https:');

  app.get('/sso', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req, reply) => {
    const q = req.query as { token?: unknown; return?: unknown };
    const back = safeReturnPath(typeof q.return === 'string' ? q.return : undefined);
    reply.header('referrer-policy', 'no-referrer');
    try {
      if (typeof q.token !== 'string' || q.token.length > 8192) throw new AppError(401, 'sso_invalid', messages.errors.sso_invalid);
      const s = await sso.signIn(q.token);
      setSessionCookie(reply, s.sessionToken, s.expiresAt, secure);
      return reply.header('cache-control', 'no-store').redirect(back, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return sendPage(req, reply, deps, { title: messages.sso.failedHeading, status: err.status }, (
        <MessagePage heading={messages.sso.failedHeading}>
          <p>{err.message}</p>
          <p>
            <a href={back}>{messages.billing.back}</a>
          </p>
        </MessagePage>
      ));
    }
  });
}
