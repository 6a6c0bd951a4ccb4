import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { REPORT_FILTERS, SEARCH_STATUSES, type ReportFilter, type SearchStatus } from '../../domain/comment-search.js';
import { AppError } from '../../domain/errors.js';
import { denialError, type Actor } from '../../domain/permissions.js';
import { ReaderHistorySchema, ReportFilterSchema, SearchPageSchema, SearchStatusSchema } from '../../domain/search-views.js';
import { messages } from '../../messages.js';
import { adminScript } from '../../messages/locales.js';
import { currentLocale } from '../../messages/scope.js';
import { HistoryPage } from '../../render/admin/HistoryPage.js';
import { backTo, EMPTY_FORM, SearchPage, type SearchForm } from '../../render/admin/SearchPage.js';
import { asset } from '../../render/assets.js';
import { MessagePage } from '../../render/pages/MessagePage.js';
import type { Accounts } from '../../services/accounts.js';
import type { Moderation } from '../../services/moderation.js';
import type { ModeratorSearch, SearchQuery } from '../../services/moderator-search.js';
import { sendPage } from '../render.js';
import { errors, Id, IdParams, SIGNED_IN } from '../schemas.js';
import type { TypedApp } from '../typed-app.js';

const m = messages.moderation;

const Text = Type.String({ maxLength: 200 });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const Cursor = Type.String({ pattern: '^-?[0-9]{1,16}\\.[0-9]{1,16}$' });

const SearchQuerySchema = Type.Object(
  {
    q: Type.Optional(Text),
    author: Type.Optional(Text),
    authorId: Type.Optional(Id),
    article: Type.Optional(Text),
    articleId: Type.Optional(Id),
    status: Type.Optional(SearchStatusSchema),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    reports: Type.Optional(ReportFilterSchema),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

/** The moderators' search and reader-history API (issue 16); moderators and admins only. */
export async function adminSearchApiRoutes(app: TypedApp, opts: { search: ModeratorSearch }) {
  const { search } = opts;
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/admin/search', {
    schema: {
      operationId: 'searchComments',
      tags: ['moderation'],
      security: SIGNED_IN,
      summary: 'Full-text search over every comment, with filters (author, article, status, dates, reports); newest first',
      querystring: SearchQuerySchema,
      response: { 200: SearchPageSchema, ...errors(400, 401, 403) },
    },
    handler: (req) => search.search(req.actor, req.query),
  });

  app.get('/admin/users/:id/history', {
    schema: {
      operationId: 'getReaderHistory',
      tags: ['moderation'],
      security: SIGNED_IN,
      summary: "A reader's history: their comments, reports against them and by them, and moderation actions about them",
      params: IdParams,
      querystring: Type.Object({ cursor: Type.Optional(Cursor) }, { additionalProperties: false }),
      response: { 200: ReaderHistorySchema, ...errors(400, 401, 403, 404) },
    },
    handler: (req) => search.history(req.actor, req.params.id, req.query.cursor),
  });
}

/** The dashboard's words for what an action did (the queue's, for the same actions). */
function doneText(key: string, n: number): string | null {
  if (!(key in m.done)) return null;
  const v = (m.done as Record<string, string | ((n: number) => string)>)[key]!;
  return typeof v === 'function' ? v(n) : v;
}

/** The form's strings as a query: empty fields are no filter; unknown choices are a 400. */
function queryOf(f: SearchForm, cursor: string | undefined): SearchQuery {
  const status = f.status === '' ? undefined : f.status;
  const reports = f.reports === '' ? undefined : f.reports;
  if (status !== undefined && !(SEARCH_STATUSES as readonly string[]).includes(status)) throw new AppError(400, 'validation', messages.errors.validation);
  if (reports !== undefined && !(REPORT_FILTERS as readonly string[]).includes(reports)) throw new AppError(400, 'validation', messages.errors.validation);
  if (cursor !== undefined && !/^-?\d{1,16}\.\d{1,16}$/.test(cursor)) throw new AppError(400, 'bad_cursor', messages.errors.bad_cursor);
  return {
    q: f.q,
    author: f.author,
    article: f.article,
    status: status as SearchStatus | undefined,
    reports: reports as ReportFilter | undefined,
    from: f.from || undefined,
    to: f.to || undefined,
    cursor,
  };
}

/** `/admin/search` and a reader's history page, server-rendered; web/admin adds the keyboard. */
export async function adminSearchPageRoutes(app: TypedApp, opts: { search: ModeratorSearch; moderation: Moderation; accounts: Accounts; config: Config }) {
  const { search, moderation: mod, config } = opts;
  const deps = { config, accounts: opts.accounts };
  // The dashboard's script in the language being spoken, as on the queue.
  const page = () => ({ scripts: [asset(adminScript(currentLocale()))] });

  /** Moderators only, as for the queue; otherwise the answer (sign-in redirect or refusal) is sent. */
  const gate = (req: FastifyRequest, reply: FastifyReply): Actor | null => {
    if (!req.actor) {
      void reply.redirect(`/signin?return=${encodeURIComponent(req.url)}`, 303);
      return null;
    }
    const denied = mod.access(req.actor, 'view_queue');
    if (!denied) return req.actor;
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
  };

  const FormFields = Type.Object({
    q: Type.Optional(Text),
    author: Type.Optional(Text),
    article: Type.Optional(Text),
    status: Type.Optional(Type.String({ maxLength: 20 })),
    from: Type.Optional(Type.String({ maxLength: 20 })),
    to: Type.Optional(Type.String({ maxLength: 20 })),
    reports: Type.Optional(Type.String({ maxLength: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 40 })),
    // What /admin/actions did, when a result's button brought the moderator back here.
    done: Type.Optional(Type.String({ maxLength: 20 })),
    n: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  });

  app.get('/admin/search', {
    schema: { hide: true, querystring: FormFields },
    handler: async (req, reply) => {
      const actor = gate(req, reply);
      if (!actor) return reply;
      const { cursor, done, n } = req.query;
      const form = Object.fromEntries(Object.keys(EMPTY_FORM).map((k) => [k, req.query[k as keyof SearchForm] ?? ''])) as unknown as SearchForm;
      const isAdmin = mod.access(actor, 'change_settings') === null;
      const render = (props: { page: Awaited<ReturnType<ModeratorSearch['search']>> | null; error: string | null; nextHref: string | null }, status = 200) =>
        sendPage(
          req,
          reply,
          deps,
          { ...page(), title: `${m.search.heading} | ${m.heading}`, status },
          <SearchPage
            form={form}
            isAdmin={isAdmin}
            timeZone={config.PUBLICATION_TIMEZONE}
            actions={{ csrf: req.csrfToken ?? '', back: backTo('/admin/search', { ...form, ...(cursor ? { cursor } : {}) }) }}
            done={done ? doneText(done, n ?? 1) : null}
            {...props}
          />,
        );
      // The empty form is the first visit: it lists the newest comments, as a search for nothing.
      try {
        const found = await search.search(actor, queryOf(form, cursor));
        const next = found.nextCursor ? `/admin/search?${new URLSearchParams({ ...form, cursor: found.nextCursor }).toString()}` : null;
        return render({ page: found, error: null, nextHref: next });
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        return render({ page: null, error: m.failed(err.message), nextHref: null }, 400);
      }
    },
  });

  app.get('/admin/users/:id', {
    schema: { hide: true, params: IdParams, querystring: Type.Object({ cursor: Type.Optional(Cursor) }) },
    handler: async (req, reply) => {
      const actor = gate(req, reply);
      if (!actor) return reply;
      const history = await search.history(actor, req.params.id, req.query.cursor).catch((err: unknown) => {
        if (err instanceof AppError && err.status === 404) return null;
        throw err;
      });
      if (!history)
        return sendPage(
          req,
          reply,
          deps,
          { title: m.heading, status: 404 },
          <MessagePage heading={m.heading}>
            <p role="alert">{messages.errors.user_not_found}</p>
          </MessagePage>,
        );
      const next = history.comments.nextCursor ? `/admin/users/${history.user.id}?cursor=${encodeURIComponent(history.comments.nextCursor)}` : null;
      return sendPage(
        req,
        reply,
        deps,
        { ...page(), title: `${m.userHistory.heading(history.user.name)} | ${m.heading}` },
        <HistoryPage history={history} isAdmin={mod.access(actor, 'change_settings') === null} timeZone={config.PUBLICATION_TIMEZONE} nextHref={next} />,
      );
    },
  });
}
