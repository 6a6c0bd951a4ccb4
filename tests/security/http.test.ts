import { blankArticle } from '../../src/store/store.js';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { embedSlug } from '../../src/services/embedded-articles.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

/*
 * Findings of issue 11 in the HTTP layer: forwarded addresses, forms for signed-in readers,
 * addresses that cannot go into a Location header, confirmation mail floods, secrets in
 * configuration errors, sockets held open, and signed webhooks of the wrong shape.
 */

const WHSEC = 'whsec_security_suite_secret';
const PUBLISHER = 'https://pub.example';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
/** The CSRF field inside the form posting to `action` (the layout's own forms carry one too). */
const csrfIn = (html: string, action: string) =>
  new RegExp(`<form[^>]*action="${action}"[^>]*>(?:(?!</form>).)*?name="_csrf" value="([^"]+)"`, 's').exec(html)?.[1];

describe('configuration errors', () => {
  const failure = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('name a bad URL without the password in it', () => {
    const redis = failure({ REDIS_URL: 'http://:hunter2@cache.internal:6379' });
    expect(redis).toContain('REDIS_URL');
    expect(redis).toContain('cache.internal');
    expect(redis).not.toContain('hunter2');
    // Broken slashes still hide what stands before the `@`.
    const smtp = failure({ SMTP_URL: 'smtp//mailer:s3cret-pass@mail.internal:587' });
    expect(smtp).toContain('SMTP_URL');
    expect(smtp).not.toContain('s3cret-pass');
    expect(smtp).not.toContain('mailer');
  });

  it('refuse a TRUST_PROXY that is neither a hop count nor addresses', () => {
    expect(failure({ TRUST_PROXY: 'the-proxy' })).toContain('TRUST_PROXY');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.2, 10.1.0.0/16' }).TRUST_PROXY).toBe('10.0.0.2, 10.1.0.0/16');
  });
});

describe.each([
  ['a hop count', '1'],
  ['true, read as one hop', 'true'],
  ['the proxy address', '10.0.0.2'],
])('per-IP limits behind a proxy named by %s', (_name, trust) => {
  let p: TestParley;
  beforeAll(async () => {
    p = await startParley('sqlite', { TRUST_PROXY: trust, LOGIN_LIMIT_PER_HOUR: '2' });
  });
  afterAll(() => p?.dispose());

  const login = (xff: string, email: string, remoteAddress = '10.0.0.2') =>
    p.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, headers: { 'x-forwarded-for': xff }, payload: { email } });

  it('count the address the proxy saw, whatever the client wrote at the left of X-Forwarded-For', async () => {
    // The proxy appends the address it saw (203.0.113.7); the client writes anything before it.
    expect((await login('198.51.100.1, 203.0.113.7', 'a@example.com')).statusCode).toBe(202);
    expect((await login('198.51.100.2, 203.0.113.7', 'b@example.com')).statusCode).toBe(202);
    const third = await login('198.51.100.3, 203.0.113.7', 'c@example.com');
    expect(third.statusCode).toBe(429);
    expect(json(third).error.code).toBe('rate_limited');
    // Another reader behind the same proxy has an allowance of their own.
    expect((await login('198.51.100.3, 203.0.113.8', 'd@example.com')).statusCode).toBe(202);
  });
});

describe.each(DIALECTS)('HTTP hardening on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  let reader: { cookie: string; csrf: string };
  const stripe = new Stripe('sk_test_unused');

  beforeAll(async () => {
    p = await startParley(dialect, {
      EMBED_ALLOWED_ORIGINS: PUBLISHER,
      STRIPE_SECRET_KEY: 'sk_test_security',
      STRIPE_WEBHOOK_SECRET: WHSEC,
      STRIPE_PRICE_MONTHLY: 'price_monthly_security',
    });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    reader = await p.signIn('reader@example.com');
  });
  afterAll(() => p?.dispose());

  const linkFor = async (email: string, returnTo?: string) => {
    await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, ...(returnTo === undefined ? {} : { returnTo }) } });
    return p.mails.lastLink();
  };

  describe('security headers', () => {
    const HARDENING = {
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'cross-origin-opener-policy': 'same-origin',
    };
    const csp = (h: Record<string, unknown>) => String(h['content-security-policy'] ?? '');

    it('go out on pages, API answers, refusals and assets alike', async () => {
      const answers = await Promise.all([
        p.app.inject({ method: 'GET', url: '/articles/open-thread' }),
        p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments` }),
        p.app.inject({ method: 'GET', url: '/api/v1/articles/999999/comments' }),
        p.app.inject({ method: 'GET', url: '/api/v1/articles/x/comments' }),
        p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/comments`, payload: { body: 'no session' } }),
        p.app.inject({ method: 'GET', url: '/no/such/page' }),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 404, 400, 401, 404]);
      for (const a of answers) {
        expect(a.headers).toMatchObject(HARDENING);
        expect(csp(a.headers)).toContain("default-src 'self'");
        expect(csp(a.headers)).toContain("frame-ancestors 'self'");
        expect(a.headers['x-powered-by']).toBeUndefined();
      }
    });

    it("are the frame's own where the embed replaces them", async () => {
      const url = `${PUBLISHER}/2026/a-post`;
      const frame = await p.app.inject({ method: 'GET', url: `/embed/frame?${new URLSearchParams({ article: 'headers-1', url, title: 'A post' })}` });
      expect(frame.statusCode).toBe(200);
      expect(frame.headers['x-frame-options']).toBeUndefined();
      expect(csp(frame.headers)).toContain(`frame-ancestors ${PUBLISHER}`);
      expect(frame.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('forms a signed-in reader opens from a mailed link', () => {
    it('sign a signed-in reader in as someone else from the sign-in form and link', async () => {
      const page = await p.app.inject({ method: 'GET', url: '/signin', headers: { cookie: reader.cookie } });
      const csrf = csrfIn(page.body, '/signin');
      expect(csrf).toBe(reader.csrf);
      const sent = await p.app.inject({
        method: 'POST',
        url: '/signin',
        headers: { ...FORM, cookie: reader.cookie },
        payload: form({ email: 'second@example.com', _csrf: csrf! }),
      });
      expect(sent.statusCode).toBe(200);

      const token = p.mails.lastLink();
      const verify = await p.app.inject({ method: 'GET', url: `/auth/verify?token=${token}`, headers: { cookie: reader.cookie } });
      const verifyCsrf = csrfIn(verify.body, '/auth/verify');
      expect(verifyCsrf).toBe(reader.csrf);
      const done = await p.app.inject({
        method: 'POST',
        url: '/auth/verify',
        headers: { ...FORM, cookie: reader.cookie },
        payload: form({ token, _csrf: verifyCsrf! }),
      });
      expect(done.statusCode).toBe(303);
      const cookie = `parley_session=${done.cookies.find((c) => c.name === 'parley_session')!.value}`;
      const session = json(await p.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } }));
      expect(session.viewer.email).toBe('second@example.com');
    });

    it('confirm a follow by email for a signed-in reader', async () => {
      await p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/follow-by-email`, payload: { email: 'follower@example.com' } });
      await p.worker.runOnce();
      const mail = p.mails.sent.findLast((m) => m.to === 'follower@example.com')!;
      const token = /follow\/confirm\?token=([\w-]+)/.exec(mail.text)![1]!;
      const page = await p.app.inject({ method: 'GET', url: `/follow/confirm?token=${token}`, headers: { cookie: reader.cookie } });
      const csrf = csrfIn(page.body, '/follow/confirm');
      expect(csrf).toBe(reader.csrf);
      const done = await p.app.inject({
        method: 'POST',
        url: '/follow/confirm',
        headers: { ...FORM, cookie: reader.cookie },
        payload: form({ token, _csrf: csrf! }),
      });
      expect(done.statusCode).toBe(200);
      expect(done.headers['content-type']).toMatch(/^text\/html/);
    });

    it('answer a form posted without the session token with a page, not JSON', async () => {
      const token = await linkFor('stale@example.com');
      const res = await p.app.inject({ method: 'POST', url: '/auth/verify', headers: { ...FORM, cookie: reader.cookie }, payload: form({ token }) });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('Reload the page and try again');
      // Nothing was spent: the same link still works from a proper form.
      const ok = await p.app.inject({ method: 'POST', url: '/auth/verify', payload: form({ token }), headers: FORM });
      expect(ok.statusCode).toBe(303);
    });
  });

  describe('addresses bound for a Location header', () => {
    const verify = (token: string) => p.app.inject({ method: 'POST', url: '/auth/verify', headers: FORM, payload: form({ token }) });

    it('percent-encode a return path a header cannot hold, and spend the link only on a working redirect', async () => {
      const res = await verify(await linkFor('wide@example.com', '/articles/open-thread?q=a\u3000b'));
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/articles/open-thread?q=a%E3%80%80b');
      expect(res.cookies.some((c) => c.name === 'parley_session')).toBe(true);
    });

    it('send a return path with control characters home', async () => {
      for (const bad of ['/a\u2028b', '/a\u007fb']) {
        const res = await verify(await linkFor('controls@example.com', bad));
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('/');
      }
    });

    it('encode a return path stored before the fix when the link is used', async () => {
      // The service stores what it is given; the form and the API no longer give it this.
      await p.accounts.requestLogin('stored@example.com', '/articles/open-thread#\u3000');
      const res = await verify(p.mails.lastLink());
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/articles/open-thread#%E3%80%80');
    });

    it('refuse an embed URL with characters no address holds, by schema', async () => {
      for (const url of [`${PUBLISHER}/a\u3000b`, `${PUBLISHER}/a\r\nSet-Cookie: x=y`, `${PUBLISHER}/a\u007f`, `${PUBLISHER}/\u2028`]) {
        const res = await p.app.inject({ method: 'GET', url: `/embed/frame?${new URLSearchParams({ article: 'bad-url', url, title: 'Bad' })}` });
        expect(res.statusCode, JSON.stringify(url)).toBe(400);
        expect(json(res).error.code).toBe('validation');
      }
      expect(await p.store.articles.bySlug(embedSlug('bad-url'))).toBeNull();
    });

    it('keep an article page working when an already stored embed URL cannot go into a header', async () => {
      const article = (slug: string, url: string) =>
        p.store.articles.upsert(blankArticle({ slug, url, title: 'Stored', publishedAt: new Date(), body: 'Body' }), new Date());
      await article('stored-wide', `${PUBLISHER}/a\u3000b`);
      await article('stored-crlf', `${PUBLISHER}/a\r\nb`);
      const wide = await p.app.inject({ method: 'GET', url: '/articles/stored-wide' });
      expect(wide.statusCode).toBe(303);
      expect(wide.headers.location).toBe(`${PUBLISHER}/a%E3%80%80b#comments`);
      const crlf = await p.app.inject({ method: 'GET', url: '/articles/stored-crlf' });
      expect(crlf.statusCode).toBe(200);
      expect(crlf.headers['content-type']).toMatch(/^text\/html/);
    });
  });

  it('caps confirmation mails per address across routes and machines, with Retry-After', async () => {
    const follow = (email: string, ip: string) =>
      p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/follow-by-email`, remoteAddress: ip, payload: { email } });
    for (let i = 1; i <= 3; i++) expect((await follow('Target@Example.com', `10.9.0.${i}`)).statusCode).toBe(202);
    const fourth = await follow('target@example.com', '10.9.0.4');
    expect(fourth.statusCode).toBe(429);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    // An email change towards the same address counts against the same allowance.
    const change = await p.app.inject({
      method: 'POST',
      url: '/api/v1/me/email',
      headers: { cookie: reader.cookie, 'x-csrf-token': reader.csrf },
      remoteAddress: '10.9.0.5',
      payload: { email: 'TARGET@example.com' },
    });
    expect(change.statusCode).toBe(429);
    expect(change.headers['retry-after']).toBeDefined();
    // Other addresses are unaffected.
    expect((await follow('other@example.com', '10.9.0.4')).statusCode).toBe(202);
  });

  it('answers a signed Stripe event of the wrong shape with 400, not 500', async () => {
    for (const shape of [{ data: null }, { data: { object: null } }, { data: { object: {} }, id: 42 }]) {
      const body = JSON.stringify({
        id: 'evt_bad_shape',
        object: 'event',
        type: 'customer.subscription.updated',
        created: Math.floor(Date.now() / 1000),
        ...shape,
      });
      const res = await p.app.inject({
        method: 'POST',
        url: '/api/v1/billing/stripe/webhook',
        headers: { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret: WHSEC }) },
        payload: body,
      });
      expect(res.statusCode, JSON.stringify(shape)).toBe(400);
      expect(json(res).error.code).toBe('event_invalid');
    }
  });
});

/** A raw HTTP/1.1 exchange: what arrived, and whether the server closed the socket. */
function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  const state = { data: '', closed: false };
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (state.data += d));
  socket.on('close', () => (state.closed = true));
  socket.on('error', () => {});
  return { socket, state };
}

const waitFor = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe('sockets a client holds open', () => {
  let p: TestParley;
  let port: number;
  let articleId: number;
  const TIMEOUT = 400;

  beforeAll(async () => {
    p = await startParley('sqlite', { LIVE_CONNECTIONS_PER_IP: '2', REQUEST_TIMEOUT_MS: String(TIMEOUT) });
    await p.app.listen({ host: '127.0.0.1', port: 0 });
    port = (p.app.server.address() as AddressInfo).port;
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
  });
  afterAll(() => p?.dispose());

  const stream = async () => {
    const c = rawClient(port);
    c.socket.write(`GET /api/v1/articles/${articleId}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    await waitFor(() => c.state.data.includes('\r\n\r\n') || c.state.closed, 5000);
    return c;
  };

  it('caps live streams open at once per IP, and frees a place when one closes', async () => {
    const a = await stream();
    const b = await stream();
    expect(a.state.data).toMatch(/^HTTP\/1\.1 200/);
    expect(b.state.data).toMatch(/^HTTP\/1\.1 200/);
    const c = await stream();
    expect(c.state.data).toMatch(/^HTTP\/1\.1 429/);
    await waitFor(() => c.state.data.includes('too_many_streams'), 2000);
    expect(c.state.data).toContain('"code":"too_many_streams"');
    c.socket.destroy();

    a.socket.destroy();
    expect(await waitFor(() => false, 200)).toBe(false);
    const d = await stream();
    expect(d.state.data).toMatch(/^HTTP\/1\.1 200/);

    // A stream outlives the request timeout many times over: it only bounds receiving the request.
    await new Promise((r) => setTimeout(r, TIMEOUT * 4));
    expect(b.state.closed).toBe(false);
    expect(d.state.closed).toBe(false);
    b.socket.destroy();
    d.socket.destroy();
  });

  it('cuts off a request whose body is dripped byte by byte', async () => {
    const c = rawClient(port);
    const body = JSON.stringify({ email: 'slow-drip@example.com' });
    c.socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    let i = 0;
    const drip = setInterval(() => {
      if (c.state.closed || i >= body.length - 1) return;
      c.socket.write(body[i++]!);
    }, 100);
    const started = Date.now();
    try {
      // Timeout, plus up to half of it for Node's periodic check, plus slack for a busy machine.
      expect(await waitFor(() => c.state.closed || c.state.data.length > 0, TIMEOUT * 5)).toBe(true);
    } finally {
      clearInterval(drip);
      c.socket.destroy();
    }
    expect(Date.now() - started).toBeLessThan(TIMEOUT * 5);
    if (c.state.data) expect(c.state.data).toMatch(/^HTTP\/1\.1 408/);
  });
});
