import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const AUDIENCE = 'https://comments.example.test';
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(DIALECTS)('single sign-on on %s', (dialect) => {
  let hs: TestParley;
  let ed: TestParley;
  let jwks: Server;
  let edKeys: Awaited<ReturnType<typeof generateKeyPair>>;
  let rsKeys: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwksHits = 0;

  const secs = (p: TestParley) => Math.floor(p.clock.now().getTime() / 1000);
  const claims = (p: TestParley, extra: JWTPayload = {}): JWTPayload => ({
    sub: 'pub-1',
    email: 'member@publisher.example',
    email_verified: true,
    name: 'Mara Member',
    subscriber: true,
    aud: AUDIENCE,
    iat: secs(p) - 5,
    exp: secs(p) + 120,
    jti: randomUUID(),
    ...extra,
  });
  const hsToken = (p: TestParley, extra: JWTPayload = {}, alg = 'HS256', secret = SECRET) =>
    new SignJWT(claims(p, extra)).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
  /** The publisher's redirect lands on a confirmation page; the reader presses its button (tests/security/sso.test.ts shows why). */
  const sso = async (p: TestParley, token: string, back = '/articles/open-thread') => {
    const page = await p.app.inject({ method: 'GET', url: `/sso?token=${encodeURIComponent(token)}&return=${encodeURIComponent(back)}` });
    expect(page.cookies.find((c) => c.name === 'parley_session')).toBeUndefined();
    const nonce = /name="nonce" value="([^"]+)"/.exec(page.body)?.[1];
    const form = page.cookies.find((c) => c.name === 'parley_sso_form');
    if (page.statusCode !== 200 || !nonce || !form) return page;
    return p.app.inject({
      method: 'POST',
      url: '/sso',
      headers: { origin: p.config.baseUrl, 'sec-fetch-site': 'same-origin', cookie: `parley_sso_form=${form.value}` },
      payload: { token, return: back, nonce },
    });
  };
  const viewer = async (p: TestParley, res: Awaited<ReturnType<typeof sso>>) => {
    const set = res.cookies.find((c) => c.name === 'parley_session');
    if (!set) return null;
    return json(await p.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: `parley_session=${set.value}` } })).viewer;
  };
  const refused = (res: Awaited<ReturnType<typeof sso>>) => {
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name === 'parley_session')).toBeUndefined();
    expect(res.body).toContain('The sign-on token is invalid or expired');
  };

  beforeAll(async () => {
    edKeys = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    rsKeys = await generateKeyPair('RS256');
    const publicJwk = { ...(await exportJWK(edKeys.publicKey)), kid: 'pub-key-1', alg: 'EdDSA', use: 'sig' };
    jwks = createServer((req, res) => {
      jwksHits++;
      res.writeHead(req.url === '/.well-known/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    hs = await startParley(dialect, { SSO_SECRET: SECRET, SSO_ALG: 'HS256', SSO_AUDIENCE: AUDIENCE });
    ed = await startParley(dialect, { SSO_JWKS_URL: jwksUrl, SSO_ALG: 'EdDSA', SSO_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await hs?.dispose();
    await ed?.dispose();
    await new Promise<void>((resolve) => (jwks ? jwks.close(() => resolve()) : resolve()));
  });

  it('signs a reader in with a valid HS256 token, makes them a subscriber and returns them to the article', async () => {
    const until = secs(hs) + 40 * 86_400;
    const res = await sso(hs, await hsToken(hs, { subscriber_until: until }));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/articles/open-thread');
    const cookie = res.cookies.find((c) => c.name === 'parley_session')!;
    expect(cookie.httpOnly).toBe(true);
    const v = await viewer(hs, res);
    expect(v).toMatchObject({
      name: 'Mara Member',
      email: 'member@publisher.example',
      subscriber: true,
      subscriberUntil: new Date(until * 1000).toISOString(),
    });

    // The session is a real one: the reader may now post under a subscribers-only article.
    const session = json(await hs.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: `parley_session=${cookie.value}` } }));
    const articleId = (await hs.store.articles.bySlug('open-thread'))!.id;
    const post = await hs.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: `parley_session=${cookie.value}`, 'x-csrf-token': session.csrfToken },
      payload: { body: 'Signed on from the publisher' },
    });
    expect(post.statusCode).toBe(201);
  });

  it('refuses a token a second time', async () => {
    const token = await hsToken(hs, { sub: 'pub-once', email: 'once@publisher.example' });
    expect((await sso(hs, token)).statusCode).toBe(303);
    refused(await sso(hs, token));
  });

  it('updates an existing reader found by email, then follows them by subject when the email changes', async () => {
    const magic = await hs.signIn('existing@publisher.example');
    const before = json(await hs.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: magic.cookie } })).viewer;

    const first = await viewer(hs, await sso(hs, await hsToken(hs, { sub: 'pub-77', email: 'Existing@Publisher.example', name: 'Eve Existing' })));
    expect(first).toMatchObject({ id: before.id, name: 'Eve Existing', subscriber: true });

    const moved = await viewer(
      hs,
      await sso(hs, await hsToken(hs, { sub: 'pub-77', email: 'eve.new@publisher.example', name: 'Eve Existing', subscriber: false })),
    );
    expect(moved).toMatchObject({ id: before.id, email: 'eve.new@publisher.example', subscriber: false });
    const rows = (await hs.store.billing.entitlementsOf(before.id)).filter((e) => e.source === 'sso');
    expect(rows).toEqual([expect.objectContaining({ status: 'revoked' })]);
  });

  it('answers the embed with JSON and a session cookie', async () => {
    const res = await hs.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sso',
      payload: { token: await hsToken(hs, { sub: 'pub-embed', email: 'embed@publisher.example', name: 'Em Bed' }) },
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).viewer).toMatchObject({ name: 'Em Bed', subscriber: true });
    expect(json(res).csrfToken).toEqual(expect.any(String));
    expect(res.cookies.find((c) => c.name === 'parley_session')).toBeDefined();

    const bad = await hs.app.inject({ method: 'POST', url: '/api/v1/auth/sso', payload: { token: `${(await hsToken(hs)).slice(0, -3)}abc` } });
    expect(bad.statusCode).toBe(401);
    expect(json(bad).error.code).toBe('sso_invalid');
  });

  it('allows 30 seconds of clock skew on exp, and no more', async () => {
    const now = secs(hs);
    expect((await sso(hs, await hsToken(hs, { sub: 'skew-1', email: 'skew1@publisher.example', iat: now - 200, exp: now - 20 }))).statusCode).toBe(303);
    refused(await sso(hs, await hsToken(hs, { sub: 'skew-2', email: 'skew2@publisher.example', iat: now - 200, exp: now - 40 })));
  });

  it('refuses an expired token, a token issued too long ago, and one issued in the future', async () => {
    const now = secs(hs);
    refused(await sso(hs, await hsToken(hs, { exp: now - 3600, iat: now - 4000 })));
    refused(await sso(hs, await hsToken(hs, { iat: now - 11 * 60, exp: now + 300 })));
    refused(await sso(hs, await hsToken(hs, { iat: now + 120, exp: now + 600 })));
    refused(
      await sso(
        hs,
        await new SignJWT({ sub: 'x', email: 'x@publisher.example', aud: AUDIENCE, iat: now })
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode(SECRET)),
      ),
    );
  });

  it('refuses other algorithms, including none and RS256 signed by anyone', async () => {
    refused(await sso(hs, await hsToken(hs, {}, 'HS512')));
    refused(await sso(hs, `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(hs))}.`));
    refused(await sso(hs, await new SignJWT(claims(hs)).setProtectedHeader({ alg: 'RS256' }).sign(rsKeys.privateKey)));
  });

  it('refuses the wrong audience, a tampered payload, another secret, and missing claims', async () => {
    refused(await sso(hs, await hsToken(hs, { aud: 'https://someone-else.example' })));
    const [h, , sig] = (await hsToken(hs, { subscriber: false })).split('.');
    refused(await sso(hs, `${h}.${b64(claims(hs, { subscriber: true }))}.${sig}`));
    refused(await sso(hs, await hsToken(hs, {}, 'HS256', 'another-secret-that-is-long-enough-too')));
    refused(await sso(hs, await hsToken(hs, { email: 'not-an-email' })));
  });

  it('never sends the reader off-site after signing in', async () => {
    const res = await sso(hs, await hsToken(hs, { sub: 'pub-r', email: 'r@publisher.example' }), '//evil.example/phish');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('verifies EdDSA tokens against the publisher JWKS, and nothing else', async () => {
    const token = await new SignJWT(claims(ed, { sub: 'ed-1', email: 'ed@publisher.example', name: 'Ed Wards' }))
      .setProtectedHeader({ alg: 'EdDSA', kid: 'pub-key-1' })
      .sign(edKeys.privateKey);
    const res = await sso(ed, token);
    expect(res.statusCode).toBe(303);
    expect(await viewer(ed, res)).toMatchObject({ name: 'Ed Wards', subscriber: true });
    expect(jwksHits).toBeGreaterThan(0);

    const stranger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    refused(await sso(ed, await new SignJWT(claims(ed)).setProtectedHeader({ alg: 'EdDSA', kid: 'pub-key-1' }).sign(stranger.privateKey)));
    // Algorithm confusion: an HMAC "signed" with the public key must not pass as EdDSA.
    const publicBytes = new TextEncoder().encode(JSON.stringify(await exportJWK(edKeys.publicKey)));
    refused(await sso(ed, await new SignJWT(claims(ed)).setProtectedHeader({ alg: 'HS256', kid: 'pub-key-1' }).sign(publicBytes)));
    refused(await sso(ed, await new SignJWT(claims(ed, { aud: 'elsewhere' })).setProtectedHeader({ alg: 'EdDSA', kid: 'pub-key-1' }).sign(edKeys.privateKey)));
    // The shared-secret site does not take EdDSA tokens either.
    refused(await sso(hs, token));
  });
});
