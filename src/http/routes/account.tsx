import { ViewerInfoSchema } from '../../domain/views.js';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError, unauthorized } from '../../domain/errors.js';
import type { Actor } from '../../domain/permissions.js';
import { messages } from '../../messages.js';
import { AccountPage, EmailConfirmPage } from '../../render/pages/AccountPage.js';
import { MessagePage } from '../../render/pages/MessagePage.js';
import type { Accounts } from '../../services/accounts.js';
import type { AccountSettings } from '../../services/account-settings.js';
import type { Billing } from '../../services/billing.js';
import type { Mutes } from '../../services/mutes.js';
import type { Notifications } from '../../services/notifications.js';
import { formErrorPages } from '../form-errors.js';
import { confirmMailLimit } from '../limits.js';
import { sendPage } from '../render.js';
import { errors, SIGNED_IN, SIGNED_IN_WRITE } from '../schemas.js';
import { clearSessionCookie } from '../session.js';
import { stringField } from '../request-fields.js';
import type { TypedApp } from '../typed-app.js';

const m = messages.account;
const Email = Type.String({ format: 'email', maxLength: 254 });
const SubscriptionStateSchema = Type.Object({
  kind: Type.Union([Type.Literal('active'), Type.Literal('canceling'), Type.Literal('payment_failed'), Type.Literal('none')]),
  until: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  graceUntil: Type.Optional(Type.String()),
  access: Type.Optional(Type.Boolean()),
  manageable: Type.Boolean(),
});

interface Opts {
  /** The account page lists the readers muted, each with a form to unmute. */
  mutes?: Mutes;
  account: AccountSettings;
  /** The account page's notification settings (reply mails, daily digest). */
  notifications?: Pick<Notifications, 'prefsOf' | 'setPrefs'>;
  billing: Billing;
  accounts: Accounts;
  config: Config;
}

const exportName = (now: Date) => `parley-account-${now.toISOString().slice(0, 10)}.json`;

async function stateJson(billing: Billing, actor: Actor) {
  const s = await billing.state(actor);
  switch (s.kind) {
    case 'active':
      return { kind: s.kind, until: s.until?.toISOString() ?? null, manageable: s.manageable };
    case 'canceling':
      return { kind: s.kind, until: s.until.toISOString(), manageable: s.manageable };
    case 'payment_failed':
      return { kind: s.kind, graceUntil: s.graceUntil.toISOString(), access: s.access, manageable: s.manageable };
    case 'none':
      return { kind: s.kind, manageable: s.manageable };
  }
}

/** The signed-in reader's own account as JSON. */
export async function accountApiRoutes(app: TypedApp, opts: Opts) {
  const { account, billing, accounts } = opts;
  const secure = opts.config.baseUrl.startsWith('https:');
  const me = (req: FastifyRequest) => {
    if (!req.actor) throw unauthorized(messages.errors.unauthenticated);
    return req.actor;
  };

  app.get('/me', {
    schema: {
      operationId: 'getAccount',
      tags: ['account'],
      security: SIGNED_IN,
      summary: 'The signed-in reader and where their subscription stands',
      response: {
        200: Type.Object({
          viewer: ViewerInfoSchema,
          subscription: SubscriptionStateSchema,
        }),
        ...errors(401),
      },
    },
    handler: async (req, reply) => {
      const actor = me(req);
      reply.header('cache-control', 'no-store');
      return { viewer: accounts.viewerInfo(actor), subscription: await stateJson(billing, actor) };
    },
  });

  app.patch('/me', {
    schema: {
      operationId: 'renameAccount',
      tags: ['account'],
      security: SIGNED_IN_WRITE,
      summary: 'Change the display name',
      body: Type.Object({ displayName: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ displayName: Type.String() }), ...errors(400, 401) },
    },
    handler: async (req) => ({ displayName: (await account.rename(req.actor, req.body.displayName)).displayName }),
  });

  app.post('/me/email', {
    config: { rateLimit: { max: opts.config.LOGIN_LIMIT_PER_HOUR, timeWindow: '1 hour' } },
    preHandler: confirmMailLimit(app, opts.config.CONFIRM_MAILS_PER_ADDRESS_PER_HOUR, 'signed-in'),
    schema: {
      operationId: 'requestEmailChange',
      tags: ['account'],
      security: SIGNED_IN_WRITE,
      summary: 'Ask to change the email address; a confirmation link goes to the new address',
      body: Type.Object({ email: Email }, { additionalProperties: false }),
      response: { 202: Type.Object({ sent: Type.Boolean() }), ...errors(400, 401, 429) },
    },
    handler: async (req, reply) => {
      await account.requestEmailChange(req.actor, req.body.email);
      return reply.status(202).send({ sent: true });
    },
  });

  app.post('/me/email/confirm', {
    schema: {
      operationId: 'confirmEmailChange',
      tags: ['account'],
      summary: 'Confirm an email change with the token from the mailed link',
      body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ email: Type.String() }), ...errors(400, 409) },
    },
    handler: async (req) => ({ email: (await account.confirmEmailChange(req.body.token)).email }),
  });

  app.delete('/me/sessions', {
    schema: {
      operationId: 'signOutEverywhere',
      tags: ['account'],
      security: SIGNED_IN_WRITE,
      summary: 'Sign out everywhere: end every session of this account',
      response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(401) },
    },
    handler: async (req, reply) => {
      await account.signOutEverywhere(req.actor);
      clearSessionCookie(reply, secure);
      return { ok: true };
    },
  });

  app.delete('/me', {
    schema: {
      operationId: 'deleteAccount',
      tags: ['account'],
      security: SIGNED_IN_WRITE,
      summary: 'Delete the account; comments stay as "[deleted user]" unless eraseComments',
      body: Type.Optional(Type.Object({ eraseComments: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
      response: { 200: Type.Object({ deleted: Type.Boolean() }), ...errors(400, 401, 409) },
    },
    handler: async (req, reply) => {
      await account.deleteAccount(req.actor, req.body?.eraseComments === true);
      clearSessionCookie(reply, secure);
      return { deleted: true };
    },
  });

  app.get('/me/export', {
    schema: {
      operationId: 'exportAccount',
      tags: ['account'],
      security: SIGNED_IN,
      summary: 'Everything stored about the reader, as JSON (profile, comments with revisions, votes, subscriptions, follows)',
      response: errors(401),
    },
    handler: async (req, reply) => {
      const data = await account.exportData(req.actor);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${exportName(new Date(data.exportedAt))}"`)
        .send(data);
    },
  });
}

/** /account and its forms: every action works without JavaScript. */
export async function accountPageRoutes(app: TypedApp, opts: Opts) {
  const { account, billing, config } = opts;
  const deps = { config, accounts: opts.accounts };
  formErrorPages(app, deps);
  const secure = config.baseUrl.startsWith('https:');
  const field = (req: FastifyRequest, name: string) => {
    const v = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' ? v : undefined;
  };
  const toSignIn = (reply: FastifyReply) => reply.redirect('/signin?return=%2Faccount', 303);

  const page = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, extra: { notice?: string; error?: string; status?: number } = {}) => {
    reply.header('cache-control', 'no-store');
    return sendPage(
      req,
      reply,
      deps,
      { title: m.heading, status: extra.status },
      <AccountPage
        user={actor.user}
        csrfToken={req.csrfToken}
        state={await billing.state(actor)}
        timeZone={config.PUBLICATION_TIMEZONE}
        muted={(await opts.mutes?.list(actor)) ?? []}
        notify={await opts.notifications?.prefsOf(actor)}
        notice={extra.notice ?? (stringField(req.query, 'done') === 'unmuted' ? m.unmuted : undefined)}
        error={extra.error}
      />,
    );
  };

  /** Runs a form's action; a refusal the reader can act on shows on the page, with the right status. */
  const act = async (req: FastifyRequest, reply: FastifyReply, fn: (actor: Actor) => Promise<string | FastifyReply>) => {
    if (!req.actor) return toSignIn(reply);
    try {
      const out = await fn(req.actor);
      return typeof out === 'string' ? page(req, reply, req.actor, { notice: out }) : out;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return page(req, reply, req.actor, { error: err.message, status: err.status });
    }
  };

  app.get('/account', async (req, reply) => (req.actor ? page(req, reply, req.actor) : toSignIn(reply)));

  // Without JavaScript a checkbox left unticked is not sent: the form says every setting each time.
  app.post('/account/notifications', async (req, reply) =>
    act(req, reply, async (actor) => {
      const digest = field(req, 'digest');
      if (!opts.notifications || (digest !== 'instant' && digest !== 'daily')) throw new AppError(400, 'validation', messages.errors.validation);
      await opts.notifications.setPrefs(actor, { replies: field(req, 'replies') === 'yes', digest });
      return m.notificationsSaved;
    }),
  );

  app.post('/account/name', async (req, reply) =>
    act(req, reply, async (actor) => {
      const user = await account.rename(actor, field(req, 'displayName') ?? '');
      // The page shows the new name at once, header included.
      req.actor = { ...actor, user };
      return m.nameSaved;
    }),
  );

  app.post(
    '/account/email',
    {
      config: { rateLimit: { max: config.LOGIN_LIMIT_PER_HOUR, timeWindow: '1 hour' } },
      preHandler: confirmMailLimit(app, config.CONFIRM_MAILS_PER_ADDRESS_PER_HOUR, 'signed-in'),
    },
    async (req, reply) =>
      act(req, reply, async (actor) => {
        const email = (field(req, 'email') ?? '').trim();
        if (!/^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{1,60}$/.test(email)) throw new AppError(400, 'validation', messages.errors.validation);
        await account.requestEmailChange(actor, email);
        return m.emailSent(email.toLowerCase());
      }),
  );

  // A GET only shows a button: mail scanners that open links must not spend the token.
  app.get('/account/email/confirm', async (req, reply) => {
    const token = String(stringField(req.query, 'token') ?? '').slice(0, 100);
    return sendPage(req, reply, deps, { title: m.emailConfirmHeading }, <EmailConfirmPage token={token} csrfToken={req.csrfToken} />);
  });

  app.post('/account/email/confirm', async (req, reply) => {
    try {
      const token = field(req, 'token');
      if (!token || token.length > 100) throw new AppError(400, 'email_link_invalid', messages.errors.email_link_invalid);
      const user = await account.confirmEmailChange(token);
      if (req.actor?.user.id === user.id) req.actor = { ...req.actor, user };
      return sendPage(
        req,
        reply,
        deps,
        { title: m.emailChangedHeading },
        <MessagePage heading={m.emailChangedHeading}>
          <p role="status">{m.emailChanged(user.email)}</p>
        </MessagePage>,
      );
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return sendPage(
        req,
        reply,
        deps,
        { title: m.emailConfirmHeading, status: err.status },
        <MessagePage heading={m.emailConfirmHeading}>
          <p role="alert">{err.message}</p>
        </MessagePage>,
      );
    }
  });

  app.post('/account/signout-everywhere', async (req, reply) =>
    act(req, reply, async (actor) => {
      await account.signOutEverywhere(actor);
      clearSessionCookie(reply, secure);
      return reply.redirect('/', 303);
    }),
  );

  app.post('/account/delete', async (req, reply) =>
    act(req, reply, async (actor) => {
      if (field(req, 'confirm') !== 'yes') throw new AppError(400, 'delete_unconfirmed', messages.errors.delete_unconfirmed);
      await account.deleteAccount(actor, field(req, 'eraseComments') === 'yes');
      clearSessionCookie(reply, secure);
      req.actor = null;
      req.csrfToken = null;
      return sendPage(
        req,
        reply,
        deps,
        { title: m.deletedHeading },
        <MessagePage heading={m.deletedHeading}>
          <p role="status">{m.deletedText}</p>
        </MessagePage>,
      );
    }),
  );

  app.get('/account/export', async (req, reply) => {
    if (!req.actor) return toSignIn(reply);
    const data = await account.exportData(req.actor);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${exportName(new Date(data.exportedAt))}"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });
}
