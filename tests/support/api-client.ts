/**
 * A typed client of the discussion API for tests, over `app.inject`: what each method sends and
 * what it answers are the static types of the TypeBox schemas the routes validate and serialize
 * with (src/domain/views.ts, src/http/schemas.ts), the same ones the widget's api.ts uses, so a
 * test that compiles speaks the API as it is.
 */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type {
  CommentChanged,
  CommentEdited,
  PassageComments,
  PassageSelectors,
  RepliesPage,
  SortSchema,
  ThreadPage,
  ThreadView,
  VoteResult,
  VoteValue,
} from '../../src/domain/views.js';
import type { ErrorBody, Id } from '../../src/http/schemas.js';

/** Who is asking: a signed-in reader's cookie and CSRF token, or null for a guest. */
export type Caller = { cookie: string; csrf: string } | null;

/** An answer: the typed body on success, the `{ error }` body on a 4xx or 5xx. */
export type Answer<T> =
  | { ok: true; status: number; body: T; res: LightMyRequestResponse }
  | { ok: false; status: number; body: Static<typeof ErrorBody>; res: LightMyRequestResponse };

type Sort = Static<typeof SortSchema>;
type CommentId = Static<typeof Id>;

export interface PostOptions {
  parentId?: CommentId | null;
  anchor?: PassageSelectors;
  idempotencyKey?: string;
}

/** The body of a successful answer; otherwise fails the test, naming the error. */
export function ok<T>(a: Answer<T>): T {
  if (!a.ok) throw new Error(`expected success, got ${a.status} ${a.body.error.code}: ${a.body.error.message}`);
  return a.body;
}

/** Plain requests as `who` (their cookie and CSRF token), for endpoints the typed client does not cover. */
export function injectAs(app: FastifyInstance, base = '/api/v1') {
  return (who: Caller, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload?: object) =>
    app.inject({ method, url: base + path, headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}, ...(payload ? { payload } : {}) });
}

export function apiClient(app: FastifyInstance, base = '/api/v1') {
  async function call<T>(
    who: Caller,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    payload?: object,
    extra: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...extra, ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}) };
    const res = await app.inject({ method, url: base + path, headers, ...(payload === undefined ? {} : { payload }) });
    const body = res.body ? res.json() : null;
    return res.statusCode < 400
      ? { ok: true, status: res.statusCode, body: body as T, res }
      : { ok: false, status: res.statusCode, body: body as Static<typeof ErrorBody>, res };
  }
  const qs = (params: Record<string, string | number | undefined | null>) => {
    const s = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined || v === null ? [] : [[k, String(v)]]))).toString();
    return s ? `?${s}` : '';
  };

  return {
    page: (who: Caller, articleId: number, sort?: Sort, cursor?: string | null) =>
      call<ThreadPage>(who, 'GET', `/articles/${articleId}/comments${qs({ sort, cursor })}`),
    passages: (who: Caller, articleId: number) => call<PassageComments>(who, 'GET', `/articles/${articleId}/passages`),
    replies: (who: Caller, rootId: number, cursor: string) => call<RepliesPage>(who, 'GET', `/comments/${rootId}/replies${qs({ cursor })}`),
    thread: (who: Caller, commentId: number) => call<ThreadView>(who, 'GET', `/comments/${commentId}/thread`),
    post: (who: Caller, articleId: number, body: string, o: PostOptions = {}) =>
      call<CommentChanged>(
        who,
        'POST',
        `/articles/${articleId}/comments`,
        { body, ...(o.parentId === undefined ? {} : { parentId: o.parentId }), ...(o.anchor ? { anchor: o.anchor } : {}) },
        o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {},
      ),
    edit: (who: Caller, commentId: number, body: string) => call<CommentEdited>(who, 'PATCH', `/comments/${commentId}`, { body }),
    remove: (who: Caller, commentId: number) => call<CommentChanged>(who, 'DELETE', `/comments/${commentId}`),
    vote: (who: Caller, commentId: number, value: VoteValue) => call<VoteResult>(who, 'PUT', `/comments/${commentId}/vote`, { value }),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
