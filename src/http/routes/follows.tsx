import { Type } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { localizedWidgetExtras, messages } from '../../messages.js';
import type { Store } from '../../store/store.js';
import { MessagePage } from '../../render/pages/MessagePage.js';
import type { Accounts } from '../../services/accounts.js';
import type { Notifications } from '../../services/notifications.js';
import { formErrorPages } from '../form-errors.js';
import { confirmMailLimit } from '../limits.js';
import { sendPage } from '../render.js';
import { errors, FollowState, IdParams, SIGNED_IN_WRITE } from '../schemas.js';
import { stringField } from '../request-fields.js';
import type { TypedApp } from '../typed-app.js';

const n = messages.notify;
const Token = Type.String({ minLength: 10, maxLength: 100, pattern: '^[fu][A-Za-z0-9_-]+$' });

/** "Notify of": follow API for the widget, and the pages mails link to. */
export async function followApiRoutes(app: TypedApp, opts: { notifications: Notifications; config: Config }) {
  const { notifications, config } = opts;

  app.put('/articles/:id/follow', {
    schema: {
      operationId: 'setArticleFollow',
      tags: ['follows'],
      security: SIGNED_IN_WRITE,
      summary: "Follow or unfollow an article (signed in); `featured` also mails its editors' picks (off by default)",
      params: IdParams,
      body: Type.Object({ follow: Type.Boolean(), featured: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: FollowState, ...errors(400, 401, 404) },
    },
    handler: (req) => notifications.setFollow(req.actor, req.params.id, req.body.follow, req.body.featured),
  });

  app.post('/articles/:id/follow-by-email', {
    config: { rateLimit: { max: config.LOGIN_LIMIT_PER_HOUR, timeWindow: '1 hour' } },
    preHandler: confirmMailLimit(app, config.CONFIRM_MAILS_PER_ADDRESS_PER_HOUR),
    schema: {
      operationId: 'followArticleByEmail',
      tags: ['follows'],
      summary: 'A guest follows an article by email; a confirmation mail is sent first (double opt-in)',
      params: IdParams,
      body: Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false }),
      response: { 202: Type.Object({ sent: Type.Boolean() }), ...errors(400, 404, 429) },
    },
    handler: async (req, reply) => {
      await notifications.guestFollow(req.body.email, req.params.id);
      return reply.status(202).send({ sent: true });
    },
  });

  app.put('/me/notifications', {
    schema: {
      operationId: 'setNotificationPreferences',
      tags: ['follows'],
      security: SIGNED_IN_WRITE,
      summary: 'Reply notifications on or off, instant or daily digest',
      body: Type.Object(
        { replies: Type.Optional(Type.Boolean()), digest: Type.Optional(Type.Union([Type.Literal('instant'), Type.Literal('daily')])) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401) },
    },
    handler: async (req) => {
      await notifications.setPrefs(req.actor, req.body);
      return { ok: true };
    },
  });
}

export async function followPageRoutes(
  app: TypedApp,
  opts: { notifications: Notifications; config: Config; accounts: Accounts; store?: Pick<Store, 'articles'> },
) {
  const { notifications, config } = opts;
  const deps = { config: opts.config, accounts: opts.accounts };
  formErrorPages(app, deps);
  const tokenOf = (v: unknown) => (typeof v === 'string' && v.length <= 100 ? v : '');
  const invalid = (req: Parameters<typeof sendPage>[0], reply: Parameters<typeof sendPage>[1]) =>
    sendPage(
      req,
      reply,
      deps,
      { title: n.unsubscribeHeading, status: 400 },
      <MessagePage heading={n.unsubscribeHeading}>
        <p>{n.invalidToken}</p>
      </MessagePage>,
    );

  // "Notify of" without JavaScript (src/render/pages/NotifyForm.tsx). An unticked box is not sent,
  // so a signed-in reader's form states every choice each time.
  app.post('/articles/:slug/notify', {
    config: { rateLimit: { max: config.LOGIN_LIMIT_PER_HOUR, timeWindow: '1 hour' } },
    preHandler: confirmMailLimit(app, config.CONFIRM_MAILS_PER_ADDRESS_PER_HOUR),
    schema: {
      params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) }),
      body: Type.Object(
        {
          article: Type.String({ pattern: '^[0-9]{1,15}$' }),
          email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
          follow: Type.Optional(Type.Literal('yes')),
          replies: Type.Optional(Type.Literal('yes')),
          digest: Type.Optional(Type.Literal('daily')),
          _csrf: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
    },
    handler: async (req, reply) => {
      const b = req.body;
      const article = await opts.store?.articles.byId(Number(b.article));
      if (!article || article.slug !== req.params.slug) throw new AppError(404, 'article_not_found', messages.errors.article_not_found);
      const back = (
        <p>
          <a href={`/articles/${encodeURIComponent(article.slug)}#comments`}>{messages.pages.backToArticle(article.title)}</a>
        </p>
      );
      if (!req.actor) {
        if (!b.email) throw new AppError(400, 'validation', messages.errors.validation);
        await notifications.guestFollow(b.email, article.id);
        return sendPage(
          req,
          reply,
          deps,
          { title: n.confirmHeading, status: 202 },
          <MessagePage heading={n.confirmHeading}>
            <p role="status">{localizedWidgetExtras.notify.checkMail(b.email)}</p>
            {back}
          </MessagePage>,
        );
      }
      await notifications.setFollow(req.actor, article.id, b.follow === 'yes');
      await notifications.setPrefs(req.actor, { replies: b.replies === 'yes', digest: b.digest === 'daily' ? 'daily' : 'instant' });
      return sendPage(req, reply, deps, { title: n.savedHeading }, <MessagePage heading={n.savedHeading}>{back}</MessagePage>);
    },
  });

  // GETs only show a button, so link scanners in mail systems change nothing.
  app.get('/follow/confirm', async (req, reply) =>
    sendPage(
      req,
      reply,
      deps,
      { title: n.confirmHeading },
      <MessagePage heading={n.confirmHeading}>
        <form method="post" action="/follow/confirm">
          <input type="hidden" name="token" value={tokenOf(stringField(req.query, 'token'))} />
          {/* A signed-in reader's post must carry the session's CSRF token. */}
          {req.csrfToken ? <input type="hidden" name="_csrf" value={req.csrfToken} /> : null}
          <button type="submit">{n.confirmButton}</button>
        </form>
      </MessagePage>,
    ),
  );

  app.post('/follow/confirm', async (req, reply) => {
    try {
      const title = await notifications.confirm(tokenOf(stringField(req.body, 'token')));
      return sendPage(
        req,
        reply,
        deps,
        { title: n.confirmedHeading },
        <MessagePage heading={n.confirmedHeading}>
          <p>{n.confirmedText(title)}</p>
        </MessagePage>,
      );
    } catch (err) {
      if (err instanceof AppError) return invalid(req, reply);
      throw err;
    }
  });

  app.get('/unsubscribe', async (req, reply) =>
    sendPage(
      req,
      reply,
      deps,
      { title: n.unsubscribeHeading },
      <MessagePage heading={n.unsubscribeHeading}>
        <form method="post" action={`/unsubscribe?token=${encodeURIComponent(tokenOf(stringField(req.query, 'token')))}`}>
          <button type="submit">{n.unsubscribeButton}</button>
        </form>
      </MessagePage>,
    ),
  );

  // RFC 8058 one-click: the mail client POSTs `List-Unsubscribe=One-Click` to the URL from the
  // header, with no cookies or Origin of ours, so this route is exempt from the CSRF guard; the
  // unguessable token is the authority.
  app.post('/unsubscribe', {
    config: { csrfExempt: true },
    schema: { querystring: Type.Object({ token: Token }) },
    errorHandler: (err, req, reply) => (err.validation ? invalid(req, reply) : reply.send(err)),
    handler: async (req, reply) => {
      try {
        await notifications.unsubscribe(req.query.token);
      } catch (err) {
        if (err instanceof AppError) return invalid(req, reply);
        throw err;
      }
      return sendPage(
        req,
        reply,
        deps,
        { title: n.unsubscribedHeading },
        <MessagePage heading={n.unsubscribedHeading}>
          <p>{n.unsubscribedText}</p>
        </MessagePage>,
      );
    },
  });
}
