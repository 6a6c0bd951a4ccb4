import { ViewerInfoSchema } from '../../domain/views.js';
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import type { Accounts } from '../../services/accounts.js';
import { clearSessionCookie } from '../session.js';
import { signInMailLimit } from '../limits.js';
import { returnLocation } from '../locations.js';
import { errors, SIGNED_IN_WRITE } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

/** Sign-in by emailed link and the current session, as JSON for the widget. */
export async function authRoutes(app: TypedApp, opts: { accounts: Accounts; config: Config }) {
  const { accounts, config } = opts;
  const secure = config.baseUrl.startsWith('https:');

  app.post('/auth/login', {
    config: {
      rateLimit: { max: config.LOGIN_LIMIT_PER_HOUR, timeWindow: '1 hour' },
    },
    // Per address too, so nobody can fill a stranger's inbox from many machines.
    preHandler: signInMailLimit(app, { max: config.LOGIN_LIMIT_PER_EMAIL_PER_HOUR, timeWindow: '1 hour' }),
    schema: {
      operationId: 'requestSignInLink',
      tags: ['auth'],
      summary: 'Email a one-time sign-in link',
      body: Type.Object(
        { email: Type.String({ format: 'email', maxLength: 254 }), returnTo: Type.Optional(Type.String({ maxLength: 2000 })) },
        { additionalProperties: false },
      ),
      response: { 202: Type.Object({ sent: Type.Boolean() }), ...errors(400, 429) },
    },
    handler: async (req, reply) => {
      const b = req.body;
      // Made header-safe now: it becomes the Location the sign-in link answers with.
      await accounts.requestLogin(b.email, returnLocation(b.returnTo));
      return reply.status(202).send({ sent: true });
    },
  });

  app.get('/session', {
    schema: {
      operationId: 'getSession',
      tags: ['auth'],
      summary: 'Who is signed in, and the CSRF token their writes must carry',
      response: { 200: Type.Object({ viewer: Type.Union([ViewerInfoSchema, Type.Null()]), csrfToken: Type.Union([Type.String(), Type.Null()]) }) },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { viewer: req.actor ? accounts.viewerInfo(req.actor) : null, csrfToken: req.csrfToken };
    },
  });

  app.post('/auth/logout', {
    schema: {
      operationId: 'signOut',
      tags: ['auth'],
      security: SIGNED_IN_WRITE,
      summary: 'End this session',
      response: { 200: Type.Object({ ok: Type.Boolean() }) },
    },
    handler: async (req, reply) => {
      if (req.sessionToken) await accounts.logout(req.sessionToken);
      clearSessionCookie(reply, secure);
      return { ok: true };
    },
  });
}
