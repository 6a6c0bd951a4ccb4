import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startParley, type TestParley } from '../support/harness.js';

// The document is built from the routes' schemas alone, so one database is enough here.
type Op = {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, any>;
};
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

function operations(doc: Record<string, any>): { method: string; path: string; op: Op }[] {
  return Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op })),
  );
}

/** Every `$ref` anywhere in `node`. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('OpenAPI document and API docs', () => {
  let p: TestParley;
  let doc: Record<string, any>;
  beforeAll(async () => {
    p = await startParley('sqlite');
    const res = await p.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = json(res);
  });
  afterAll(() => p?.dispose());

  it('is a structurally valid OpenAPI 3 document whose references all resolve', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(40);
    for (const { path, op } of ops) {
      expect(path.startsWith('/')).toBe(true);
      expect(Object.keys(op.responses ?? {}).length, path).toBeGreaterThan(0);
      for (const code of Object.keys(op.responses!)) expect(code).toMatch(/^([1-5]\d\d|default)$/);
      // Every {param} of the path is declared as a required path parameter.
      for (const [, name] of path.matchAll(/\{(\w+)\}/g))
        expect(op.parameters?.find((x) => x.in === 'path' && x.name === name)?.required, `${path} ${name}`).toBe(true);
    }
    const schemas = doc.components.schemas as Record<string, unknown>;
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
    }
  });

  it('gives every API operation a unique camelCase operationId and tags, and documents nothing else', () => {
    const ops = operations(doc);
    const ids = ops.map(({ op }) => op.operationId);
    for (const { method, path, op } of ops) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
      // Pages, probes, metrics and static files are not part of the API.
      expect(path, `${method} ${path}`).toMatch(/^\/api\/v1\//);
    }
    expect(new Set(ids).size).toBe(ids.length);
    const paths = Object.keys(doc.paths);
    for (const page of ['/', '/articles/{slug}', '/signin', '/account', '/admin', '/healthz', '/readyz', '/metrics', '/embed.js', '/api/docs'])
      expect(paths).not.toContain(page);
    expect(ops.find((o) => o.method === 'get' && o.path === '/api/v1/articles/{id}/comments')?.op).toMatchObject({
      operationId: 'listComments',
      tags: ['comments'],
    });
  });

  it('names shared schemas as components and lists ErrorBody for error answers', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names.filter((n) => /^def-\d+$/.test(n))).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/def-\d+/);
    for (const name of ['ErrorBody', 'CommentView', 'ThreadView', 'ThreadPage', 'RepliesPage', 'VoteResult', 'FollowState', 'QueueItem'])
      expect(names).toContain(name);
    const listComments = doc.paths['/api/v1/articles/{id}/comments'].get as Op;
    expect(listComments.responses!['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ThreadPage' });
    expect(doc.components.schemas.ThreadView.properties.comment).toEqual({ $ref: '#/components/schemas/CommentView' });
    for (const { method, path, op } of operations(doc)) {
      for (const [code, r] of Object.entries(op.responses ?? {})) {
        if (code.startsWith('4'))
          expect(r.content?.['application/json']?.schema, `${method} ${path} ${code}`).toEqual({ $ref: '#/components/schemas/ErrorBody' });
      }
    }
  });

  it('does not require parameters that have a default', () => {
    for (const path of ['/api/v1/articles/{id}/comments', '/api/v1/articles/{id}/discussion']) {
      const sort = (doc.paths[path].get as Op).parameters!.find((x) => x.name === 'sort' && x.in === 'query');
      expect(sort, path).toBeDefined();
      expect(sort!.required, path).toBe(false);
    }
    // Defaults are still applied: a request without `sort` gets the default order.
  });

  it('declares the cookie session and the CSRF header, and which operations need them', () => {
    expect(doc.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'parley_session' }),
      csrf: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-csrf-token' }),
    });
    const op = (path: string, method: string) => doc.paths[path][method] as Op;
    expect(op('/api/v1/articles/{id}/comments', 'post').security).toEqual([{ session: [], csrf: [] }]);
    expect(op('/api/v1/me', 'get').security).toEqual([{ session: [] }]);
    expect(op('/api/v1/articles/{id}/comments', 'get').security).toBeUndefined();
    // Every operation that can answer 401 says what signs a reader in, except the sign-in routes themselves.
    for (const { method, path, op: o } of operations(doc)) {
      if (o.responses?.['401'] && !['/api/v1/auth/sso'].includes(path)) expect(o.security, `${method} ${path}`).toBeDefined();
    }
  });

  it('answers through the named components exactly what the service returns', async () => {
    await p.accounts.grant('reader@example.com', null);
    const { cookie, csrf } = await p.signIn('reader@example.com');
    const article = (await p.store.articles.bySlug('open-thread'))!.id;
    const post = (body: string, parentId?: number) =>
      p.app.inject({ method: 'POST', url: `/api/v1/articles/${article}/comments`, headers: { cookie, 'x-csrf-token': csrf }, payload: { body, parentId } });
    const root = json(await post('A root comment')).comment.id as number;
    await post('A reply', root);
    const actor = (await p.accounts.session(cookie.replace('parley_session=', '')))!.actor;
    // Signed in, the page goes through fast-json-stringify with ThreadPage -> ThreadView -> CommentView references.
    const served = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${article}/comments`, headers: { cookie } }));
    expect(served).toEqual(JSON.parse(JSON.stringify(await p.discussions.page(article, 'top', undefined, actor))));
    expect(served.threads.some((t: { replies: unknown[] }) => t.replies.length > 0)).toBe(true);
    const thread = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${root}/thread`, headers: { cookie } }));
    expect(thread).toEqual(JSON.parse(JSON.stringify(await p.discussions.threadOf(root, actor))));
  });

  it('serves /api/docs: the operations as HTML, with no script and nothing from elsewhere', async () => {
    const res = await p.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('id="listComments"');
    expect(res.body).toContain('GET /api/v1/articles/{id}/comments');
    expect(res.body).toContain('A page of top-level comments with the first replies of each');
    expect(res.body).toContain('href="/api/v1/openapi.json"');
    expect(res.body).not.toMatch(/<script/);
    expect(res.body).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('rate-limit headers', () => {
  let p: TestParley;
  beforeAll(async () => {
    p = await startParley('sqlite', { RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => p?.dispose());

  it('sends the draft RateLimit-* headers on counted and on refused answers', async () => {
    const first = await p.app.inject({ method: 'GET', url: '/api/v1/articles' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('2');
    expect(first.headers['ratelimit-remaining']).toBe('1');
    expect(first.headers['x-ratelimit-limit']).toBeUndefined();
    await p.app.inject({ method: 'GET', url: '/api/v1/articles' });
    const refused = await p.app.inject({ method: 'GET', url: '/api/v1/articles' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(refused.headers['ratelimit-limit']).toBe('2');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(refused.headers['retry-after']).toBeDefined();
  });
});
