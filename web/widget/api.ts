/**
 * The widget's client for the discussion API (`/api/v1`). Every failure becomes an ApiError
 * whose message can be shown to the reader as is: the server's `{ error: { code, message } }`
 * when there is one, a network message otherwise.
 */
import type { SortOrder } from '../../src/domain/types.js';
import type { CommentChanged, PassageComments, PassageSelectors, RepliesPage, ThreadPage, ThreadView, VoteResult, VoteValue } from '../../src/domain/views.js';
import { widget as wm } from '../../src/messages/current/widget.js';

export class ApiError extends Error {
  // Declared, not defined: the constructor sets them, and the bundle carries no field list.
  declare status: number;
  declare code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export type Api = ReturnType<typeof createApi>;

export function createApi(base: string, csrfToken: string | null, fetcher: typeof fetch = (...a) => fetch(...a)) {
  const root = base.replace(/\/+$/, '');
  // One Idempotency-Key per comment: the same each time the same comment is sent again after a
  // failure (its first try may have been stored and only lost its answer), forgotten once it is
  // posted, so the next comment gets a new one. Other words, another parent or passage: another key.
  // A page not served over HTTPS has no `randomUUID`: its comments go without a key.
  let sent = '';
  let key: string | undefined;

  async function call<T>(method: string, path: string, body?: unknown, key?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') {
      if (csrfToken) headers['x-csrf-token'] = csrfToken;
      if (key) headers['idempotency-key'] = key;
      // Only with a body: Fastify answers 400 to an empty body declared as JSON (DELETE).
      if (body !== undefined) headers['content-type'] = 'application/json';
    }
    let res: Response;
    try {
      // fetch's default credentials ('same-origin') send the session cookie, and only to Parley.
      res = await fetcher(root + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network', wm.networkError);
    }
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (!res.ok) {
      const e = data?.error;
      throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? wm.failed);
    }
    return data as T;
  }

  const q = encodeURIComponent;
  return {
    // Calls only parts loaded later make are in `api-later.ts`, which travels with them.
    call,
    page: (articleId: number, sort: SortOrder, cursor?: string | null, all?: 1) =>
      call<ThreadPage>('GET', `/articles/${articleId}/comments?sort=${sort}${cursor ? `&cursor=${q(cursor)}` : ''}${all ? '&all=1' : ''}`),
    replies: (rootId: number, cursor: string) => call<RepliesPage>('GET', `/comments/${rootId}/replies?cursor=${q(cursor)}`),
    thread: (commentId: number) => call<ThreadView>('GET', `/comments/${commentId}/thread`),
    post: async (articleId: number, body: string, parentId: number | null, anchor?: PassageSelectors | null) => {
      const payload = { body, ...(parentId === null ? {} : { parentId }), ...(anchor ? { anchor } : {}) };
      // The widget posts to one article only: the words, parent and passage name the comment.
      const request = JSON.stringify(payload);
      if (request !== sent) key = crypto.randomUUID?.();
      sent = request;
      const res = await call<CommentChanged>('POST', `/articles/${articleId}/comments`, payload, key);
      sent = '';
      return res;
    },
    passages: (articleId: number) => call<PassageComments>('GET', `/articles/${articleId}/passages`),
    vote: (id: number, value: VoteValue) => call<VoteResult>('PUT', `/comments/${id}/vote`, { value }),
  };
}
