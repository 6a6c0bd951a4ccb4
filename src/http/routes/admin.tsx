import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError, badRequest } from '../../domain/errors.js';
import { REPORT_REASONS, SUSPENSION_HOURS } from '../../domain/moderation.js';
import { denialError, type Actor } from '../../domain/permissions.js';
import type { Role } from '../../domain/types.js';
import { messages } from '../../messages.js';
import { adminScript } from '../../messages/locales.js';
import { currentLocale } from '../../messages/scope.js';
import { asset } from '../../render/assets.js';
import { AuditPage } from '../../render/admin/AuditPage.js';
import { QueuePage } from '../../render/admin/QueuePage.js';
import { SettingsPage } from '../../render/admin/SettingsPage.js';
import { MessagePage } from '../../render/pages/MessagePage.js';
import type { Accounts } from '../../services/accounts.js';
import { QUEUE_TABS, type Moderation, type QueueTab } from '../../services/moderation.js';
import { perIp, perReader } from '../limits.js';
import { sendPage } from '../render.js';
import { errors, Id, IdParams, QueueItem, SIGNED_IN, SIGNED_IN_WRITE } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

const m = messages.moderation;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

const Tab = lit(QUEUE_TABS);
const Role_ = lit(['reader', 'moderator', 'admin'] as const);
const Policy = lit(['subscribers', 'members', 'closed'] as const);
const QueueCursor = Type.String({ pattern: '^[0-9]{1,16}$' });
const Reason = Type.String({ maxLength: 500 });
const Done = Type.Object({ done: Type.Array(Type.Integer()) });

const Counts = Type.Object({ pending: Type.Integer(), reported: Type.Integer(), rejected: Type.Integer() });
const QueuePageSchema = Type.Object({ tab: Tab, items: Type.Array(QueueItem), nextCursor: Nullable(Type.String()), counts: Counts });

const SettingsSchema = Type.Object(
  {
    premoderateAll: Type.Boolean(),
    premoderateLinks: Type.Boolean(),
    newAccountComments: Type.Integer({ minimum: 0, maximum: 1000 }),
    bannedWords: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 2000 }),
  },
  { additionalProperties: false },
);
const ArticleSettingsSchema = Type.Object(
  {
    premoderateAll: Type.Optional(Type.Boolean()),
    premoderateLinks: Type.Optional(Type.Boolean()),
    newAccountComments: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), email: Type.String() })),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Nullable(Type.Integer()),
  details: Type.Object({}, { additionalProperties: true }),
});

const id = (req: { params: { id: number } }) => req.params.id;

/** Readers flag comments for moderators: once per comment, limited per reader and per IP. */
export async function reportRoutes(app: TypedApp, opts: { moderation: Moderation; config: Config }) {
  const { moderation, config } = opts;
  const limit = { max: config.REPORT_LIMIT_PER_HOUR, timeWindow: '1 hour' };
  app.post('/comments/:id/report', {
    config: { rateLimit: perReader(limit) },
    preHandler: perIp(app, 'report', { max: limit.max * config.IP_LIMIT_FACTOR, timeWindow: limit.timeWindow }),
    schema: {
      operationId: 'reportComment',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Report a comment to the moderators (once per comment)',
      params: IdParams,
      body: Type.Object({ reason: lit(REPORT_REASONS), text: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
      response: { 201: Type.Object({ reported: Type.Boolean() }), ...errors(400, 401, 403, 404, 409, 429) },
    },
    handler: async (req, reply) => {
      const b = req.body;
      return reply.status(201).send(await moderation.report(req.actor, id(req), b.reason, b.text ?? ''));
    },
  });
}

/** The moderation API: the queue, actions on comments, articles and accounts, roles, settings, audit. */
export async function adminApiRoutes(app: TypedApp, opts: { moderation: Moderation }) {
  const { moderation: mod } = opts;
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/admin/queue', {
    schema: {
      operationId: 'getModerationQueue',
      tags: ['moderation'],
      security: SIGNED_IN,
      summary: 'A page of the moderation queue: pending, reported or recently rejected comments',
      querystring: Type.Object({ tab: Type.Optional(Tab), cursor: Type.Optional(QueueCursor) }, { additionalProperties: false }),
      response: { 200: QueuePageSchema, ...errors(400, 401, 403) },
    },
    handler: (req) => {
      const q = req.query;
      return mod.queue(req.actor, q.tab ?? 'pending', q.cursor);
    },
  });

  app.post('/admin/comments/:id/approve', {
    schema: {
      operationId: 'approveComment',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Publish a held or rejected comment, or dismiss the reports against a published one',
      params: IdParams,
      response: { 200: Done, ...errors(401, 403, 404) },
    },
    handler: (req) => mod.approve(req.actor, [id(req)]),
  });

  app.post('/admin/comments/:id/reject', {
    schema: {
      operationId: 'rejectComment',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Reject a comment, with a reason',
      params: IdParams,
      body: Type.Optional(Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false })),
      response: { 200: Done, ...errors(400, 401, 403, 404) },
    },
    handler: (req) => mod.reject(req.actor, [id(req)], req.body?.reason ?? ''),
  });

  app.post('/admin/comments/bulk', {
    schema: {
      operationId: 'moderateComments',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Approve or reject several comments at once',
      body: Type.Object(
        { action: lit(['approve', 'reject'] as const), ids: Type.Array(Id, { minItems: 1, maxItems: 200 }), reason: Type.Optional(Reason) },
        { additionalProperties: false },
      ),
      response: { 200: Done, ...errors(400, 401, 403) },
    },
    handler: (req) => {
      const b = req.body;
      return mod.bulk(req.actor, b.action, b.ids, b.reason ?? '');
    },
  });

  app.patch('/admin/comments/:id', {
    schema: {
      operationId: 'moderatorEditComment',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Edit any comment; readers see `Last edited by` the moderator',
      params: IdParams,
      body: Type.Object({ body: Type.String({ maxLength: 200_000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.Integer(), bodyHtml: Type.String() }), ...errors(400, 401, 403, 404, 409) },
    },
    handler: (req) => mod.edit(req.actor, id(req), req.body.body),
  });

  app.put('/admin/comments/:id/pin', {
    schema: {
      operationId: 'pinComment',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Pin (feature) a top-level comment above the others, or unpin it',
      params: IdParams,
      body: Type.Object({ pinned: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.Integer(), pinned: Type.Boolean() }), ...errors(400, 401, 403, 404, 409) },
    },
    handler: (req) => mod.pin(req.actor, id(req), req.body.pinned),
  });

  app.put('/admin/comments/:id/feature', {
    schema: {
      operationId: 'featureComment',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: "Make a published comment an editors' pick (Featured tab, badge, mail to followers who asked), or take it off",
      params: IdParams,
      body: Type.Object({ featured: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.Integer(), featured: Type.Boolean() }), ...errors(400, 401, 403, 404, 409) },
    },
    handler: (req) => mod.feature(req.actor, id(req), req.body.featured),
  });

  app.put('/admin/comments/:id/lock', {
    schema: {
      operationId: 'lockThread',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Lock the thread holding this comment (no new replies), or unlock it',
      params: IdParams,
      body: Type.Object({ locked: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: Type.Object({ rootId: Type.Integer(), locked: Type.Boolean() }), ...errors(400, 401, 403, 404) },
    },
    handler: (req) => mod.lock(req.actor, id(req), req.body.locked),
  });

  app.put('/admin/articles/:id/policy', {
    schema: {
      operationId: 'setArticlePolicy',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: "Override an article's comment policy ('closed' closes comments); null returns to the article's own",
      params: IdParams,
      body: Type.Object({ policy: Nullable(Policy) }, { additionalProperties: false }),
      response: { 200: Type.Object({ articleId: Type.Integer(), policy: Type.String() }), ...errors(400, 401, 403, 404) },
    },
    handler: (req) => mod.setArticlePolicy(req.actor, id(req), req.body.policy),
  });

  app.get('/admin/articles/:id/moderation', {
    schema: {
      operationId: 'getArticleModeration',
      tags: ['moderation'],
      security: SIGNED_IN,
      summary: "An article's pre-moderation overrides (admins)",
      params: IdParams,
      response: { 200: ArticleSettingsSchema, ...errors(401, 403, 404) },
    },
    handler: (req) => mod.articleSettings(req.actor, id(req)),
  });

  app.put('/admin/articles/:id/moderation', {
    schema: {
      operationId: 'setArticleModeration',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: "Set an article's pre-moderation overrides; absent fields follow the site (admins)",
      params: IdParams,
      body: ArticleSettingsSchema,
      response: { 200: ArticleSettingsSchema, ...errors(400, 401, 403, 404) },
    },
    handler: (req) => mod.saveArticleSettings(req.actor, id(req), req.body),
  });

  app.post('/admin/users/:id/suspend', {
    schema: {
      operationId: 'suspendUser',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Suspend a user for a number of hours: they read but cannot post, reply, vote or report',
      params: IdParams,
      body: Type.Object({ hours: Type.Integer({ minimum: 1, maximum: 24 * 366 }), reason: Type.Optional(Reason) }, { additionalProperties: false }),
      response: { 200: Type.Object({ userId: Type.Integer(), suspendedUntil: Type.String() }), ...errors(400, 401, 403, 404) },
    },
    handler: (req) => {
      const b = req.body;
      return mod.suspend(req.actor, id(req), b.hours, b.reason ?? '');
    },
  });

  app.delete('/admin/users/:id/suspend', {
    schema: {
      operationId: 'liftSuspension',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Lift a suspension',
      params: IdParams,
      response: { 200: Type.Object({ userId: Type.Integer() }), ...errors(401, 403, 404) },
    },
    handler: (req) => mod.unsuspend(req.actor, id(req)),
  });

  app.put('/admin/users/:id/ban', {
    schema: {
      operationId: 'banUser',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Ban a user (indefinitely) or lift the ban',
      params: IdParams,
      body: Type.Object({ banned: Type.Boolean(), reason: Type.Optional(Reason) }, { additionalProperties: false }),
      response: { 200: Type.Object({ userId: Type.Integer(), banned: Type.Boolean() }), ...errors(400, 401, 403, 404) },
    },
    handler: (req) => {
      const b = req.body;
      return mod.ban(req.actor, id(req), b.banned, b.reason ?? '');
    },
  });

  app.put('/admin/users/:id/role', {
    schema: {
      operationId: 'setUserRole',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: "Change a user's role (admins)",
      params: IdParams,
      body: Type.Object({ role: Role_ }, { additionalProperties: false }),
      response: { 200: Type.Object({ userId: Type.Integer(), role: Type.String() }), ...errors(400, 401, 403, 404, 409) },
    },
    handler: (req) => mod.setRole(req.actor, id(req), req.body.role),
  });

  app.get('/admin/settings', {
    schema: {
      operationId: 'getModerationSettings',
      tags: ['moderation'],
      security: SIGNED_IN,
      summary: 'The site-wide pre-moderation rules (admins)',
      response: { 200: SettingsSchema, ...errors(401, 403) },
    },
    handler: (req) => mod.settings(req.actor),
  });

  app.put('/admin/settings', {
    schema: {
      operationId: 'setModerationSettings',
      tags: ['moderation'],
      security: SIGNED_IN_WRITE,
      summary: 'Replace the site-wide pre-moderation rules (admins)',
      body: SettingsSchema,
      response: { 200: SettingsSchema, ...errors(400, 401, 403) },
    },
    handler: (req) => mod.saveSettings(req.actor, req.body),
  });

  app.get('/admin/audit', {
    schema: {
      operationId: 'listAuditLog',
      tags: ['moderation'],
      security: SIGNED_IN,
      summary: 'The audit log, newest first (admins)',
      querystring: Type.Object({ cursor: Type.Optional(QueueCursor) }, { additionalProperties: false }),
      response: { 200: Type.Object({ entries: Type.Array(AuditEntrySchema), nextCursor: Nullable(Type.String()) }), ...errors(400, 401, 403) },
    },
    handler: (req) => mod.auditLog(req.actor, req.query.cursor),
  });
}

// ---- the dashboard ----------------------------------------------------------------------------

type Form = Record<string, unknown>;
const field = (f: Form, name: string): string => {
  const v = f[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
};
const fieldIds = (f: Form): number[] => {
  const v = f.ids;
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
  return [...new Set(list.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))].slice(0, 200);
};
/** Only back into the dashboard: a form field must not become an open redirect. */
const safeBack = (raw: string) => (/^\/admin(\/[a-z]*)?(\?[\w=&%-]*)?$/.test(raw) ? raw : '/admin');

type DoneKey = keyof typeof m.done;
const doneText = (key: string, n: number): string | null => {
  if (!(key in m.done)) return null;
  const v = m.done[key as DoneKey];
  return typeof v === 'function' ? v(n) : v;
};

interface Outcome {
  done: DoneKey;
  n: number;
  /** Comments that leave the current queue. */
  removed: number[];
  bodyHtml?: string;
}

/** One entry point for every dashboard button, with or without script. */
async function perform(mod: Moderation, actor: Actor | null, form: Form): Promise<Outcome> {
  const [verb = '', rawId = ''] = field(form, 'op').split(':');
  if (verb === 'bulk') {
    if (rawId !== 'approve' && rawId !== 'reject') throw badRequest('validation', messages.errors.validation);
    const { done } = await mod.bulk(actor, rawId, fieldIds(form), field(form, 'reason'));
    return { done: rawId, n: done.length, removed: done };
  }
  const cid = Number(rawId);
  if (!Number.isSafeInteger(cid) || cid <= 0) throw badRequest('validation', messages.errors.validation);
  const one = (key: DoneKey): Outcome => ({ done: key, n: 1, removed: [] });
  switch (verb) {
    case 'approve': {
      const { done } = await mod.approve(actor, [cid]);
      return { done: done.length ? 'approve' : 'nothing', n: done.length, removed: done };
    }
    case 'reject': {
      const { done } = await mod.reject(actor, [cid], field(form, 'reason'));
      return { done: done.length ? 'reject' : 'nothing', n: done.length, removed: done };
    }
    case 'edit':
      return { ...one('edit'), bodyHtml: (await mod.edit(actor, cid, field(form, 'body'))).bodyHtml };
    case 'pin':
    case 'unpin':
      await mod.pin(actor, cid, verb === 'pin');
      return one(verb);
    case 'feature':
    case 'unfeature':
      await mod.feature(actor, cid, verb === 'feature');
      return one(verb);
    case 'lock':
    case 'unlock':
      await mod.lock(actor, cid, verb === 'lock');
      return one(verb);
    case 'close':
    case 'reopen':
      await mod.setArticlePolicy(actor, (await mod.subjectOf(actor, cid)).articleId, verb === 'close' ? 'closed' : null);
      return one(verb);
    case 'suspend': {
      const hours = Number(field(form, 'hours'));
      if (!(SUSPENSION_HOURS as readonly number[]).includes(hours)) throw badRequest('validation', messages.errors.validation);
      await mod.suspend(actor, (await mod.subjectOf(actor, cid)).authorId, hours, field(form, 'reason'));
      return one('suspend');
    }
    case 'unsuspend':
      await mod.unsuspend(actor, (await mod.subjectOf(actor, cid)).authorId);
      return one('unsuspend');
    case 'ban':
    case 'unban':
      await mod.ban(actor, (await mod.subjectOf(actor, cid)).authorId, verb === 'ban', field(form, 'reason'));
      return one(verb);
    default:
      throw badRequest('validation', messages.errors.validation);
  }
}

const wantsJson = (req: FastifyRequest) => (req.headers.accept ?? '').includes('application/json');

/** Server-rendered moderation dashboard at /admin; web/admin adds keyboard control and in-place updates. */
export async function adminPageRoutes(app: TypedApp, opts: { moderation: Moderation; accounts: Accounts; config: Config }) {
  const { moderation: mod, config } = opts;
  const deps = { config, accounts: opts.accounts };

  /** Who may see a dashboard page (the same rules as the API); otherwise the answer has been sent. */
  const gate = (req: FastifyRequest, reply: FastifyReply, part: 'view_queue' | 'view_audit' | 'change_settings' = 'view_queue'): Actor | null => {
    if (!req.actor) {
      void reply.redirect(`/signin?return=${encodeURIComponent(req.url)}`, 303);
      return null;
    }
    const denied = mod.access(req.actor, part);
    if (denied) {
      const err = denialError(denied);
      void sendPage(
        req,
        reply,
        deps,
        { title: m.heading, status: err.status },
        <MessagePage heading={m.heading}>
          <p role="alert">{err.message}</p>
        </MessagePage>,
      );
      return null;
    }
    return req.actor;
  };

  const queue = async (
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    q: { tab?: QueueTab; cursor?: string },
    status: { ok: boolean; text: string } | null,
    code = 200,
  ) => {
    const tab = q.tab ?? 'pending';
    const page = await mod.queue(actor, tab, q.cursor);
    const back = `/admin?tab=${tab}${q.cursor ? `&cursor=${q.cursor}` : ''}`;
    return sendPage(
      req,
      reply,
      deps,
      { title: `${m.tabs[tab]} | ${m.heading}`, scripts: [asset(adminScript(currentLocale()))], status: code },
      <QueuePage
        page={page}
        csrf={req.csrfToken ?? ''}
        mayActOn={(u) => mod.mayActOn(actor, u)}
        isAdmin={mod.access(actor, 'change_settings') === null}
        timeZone={config.PUBLICATION_TIMEZONE}
        now={new Date()}
        back={back}
        status={status}
      />,
    );
  };

  app.get('/admin', {
    schema: {
      hide: true,
      querystring: Type.Object({
        tab: Type.Optional(Tab),
        cursor: Type.Optional(QueueCursor),
        done: Type.Optional(Type.String({ maxLength: 20 })),
        n: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
      }),
    },
    handler: async (req, reply) => {
      const actor = gate(req, reply);
      if (!actor) return reply;
      const q = req.query;
      const text = q.done ? doneText(q.done, q.n ?? 1) : null;
      return queue(req, reply, actor, q, text ? { ok: true, text } : null);
    },
  });

  app.post('/admin/actions', {
    schema: { hide: true },
    handler: async (req, reply) => {
      const form = (req.body ?? {}) as Form;
      const back = safeBack(field(form, 'back'));
      if (wantsJson(req)) {
        const out = await perform(mod, req.actor, form);
        return { ok: true, message: doneText(out.done, out.n), removed: out.removed, bodyHtml: out.bodyHtml ?? null };
      }
      const actor = gate(req, reply);
      if (!actor) return reply;
      try {
        const out = await perform(mod, actor, form);
        const url = new URL(back, 'http://x');
        url.searchParams.set('done', out.done);
        url.searchParams.set('n', String(out.n));
        return reply.redirect(`${url.pathname}${url.search}`, 303);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const q = Object.fromEntries(new URL(back, 'http://x').searchParams) as { tab?: string; cursor?: string };
        const tab = (QUEUE_TABS as readonly string[]).includes(q.tab ?? '') ? (q.tab as QueueTab) : undefined;
        return queue(
          req,
          reply,
          actor,
          { tab, cursor: /^\d{1,16}$/.test(q.cursor ?? '') ? q.cursor : undefined },
          { ok: false, text: m.failed(err.message) },
          err.status,
        );
      }
    },
  });

  app.get('/admin/audit', {
    schema: { hide: true, querystring: Type.Object({ cursor: Type.Optional(QueueCursor) }) },
    handler: async (req, reply) => {
      const actor = gate(req, reply, 'view_audit');
      if (!actor) return reply;
      const log = await mod.auditLog(actor, req.query.cursor);
      return sendPage(
        req,
        reply,
        deps,
        { title: `${m.audit.heading} | ${m.heading}` },
        <AuditPage entries={log.entries} nextCursor={log.nextCursor} timeZone={config.PUBLICATION_TIMEZONE} />,
      );
    },
  });

  const settingsPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, status: { ok: boolean; text: string } | null, code = 200) =>
    sendPage(
      req,
      reply,
      deps,
      { title: `${m.settings.heading} | ${m.heading}`, status: code },
      <SettingsPage settings={await mod.settings(actor)} staff={await mod.staff(actor)} csrf={req.csrfToken ?? ''} status={status} />,
    );

  app.get('/admin/settings', {
    schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => {
      const actor = gate(req, reply, 'change_settings');
      if (!actor) return reply;
      const done = req.query.done;
      const text = done ? doneText(done, 1) : null;
      return settingsPage(req, reply, actor, text ? { ok: true, text } : null);
    },
  });

  app.post('/admin/settings', {
    schema: { hide: true },
    handler: async (req, reply) => {
      const actor = gate(req, reply, 'change_settings');
      if (!actor) return reply;
      const f = (req.body ?? {}) as Form;
      const n = Number(field(f, 'newAccountComments') || '0');
      if (!Number.isSafeInteger(n) || n < 0 || n > 1000) return settingsPage(req, reply, actor, { ok: false, text: m.failed(messages.errors.validation) }, 400);
      await mod.saveSettings(actor, {
        premoderateAll: field(f, 'premoderateAll') === '1',
        premoderateLinks: field(f, 'premoderateLinks') === '1',
        newAccountComments: n,
        bannedWords: field(f, 'bannedWords')
          .split(/\r?\n|,/)
          .slice(0, 2000),
      });
      return reply.redirect('/admin/settings?done=settings', 303);
    },
  });

  app.post('/admin/roles', {
    schema: { hide: true },
    handler: async (req, reply) => {
      const actor = gate(req, reply, 'change_settings');
      if (!actor) return reply;
      const f = (req.body ?? {}) as Form;
      const role = field(f, 'role');
      try {
        if (!['reader', 'moderator', 'admin'].includes(role)) throw badRequest('validation', messages.errors.validation);
        const user = await mod.userByEmail(actor, field(f, 'email').trim());
        await mod.setRole(actor, user.id, role as Role);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return settingsPage(req, reply, actor, { ok: false, text: m.failed(err.message) }, err.status);
      }
      return reply.redirect('/admin/settings?done=role', 303);
    },
  });
}
