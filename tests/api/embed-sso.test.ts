import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

const SECRET = 'another-shared-secret-of-32-characters-or-more';
const AUDIENCE = 'https://comments.example.test';
const HOST = 'https://publisher.example';
const PAGE = `${HOST}/2026/11/the-long-table`;

/** The publisher's page embeds the discussion and hands over its own sign-on (issue 7 with issue 3's SSO). */
describe.each(DIALECTS)("embed frame with the publisher's single sign-on on %s", (dialect) => {
  let p: TestParley;
  let sub = 0;

  const secs = () => Math.floor(p.clock.now().getTime() / 1000);
  const token = (extra: JWTPayload = {}) =>
    new SignJWT({
      sub: `pub-${++sub}`,
      email: `member${sub}@publisher.example`,
      name: `Member ${sub}`,
      subscriber: true,
      aud: AUDIENCE,
      iat: secs() - 5,
      exp: secs() + 120,
      jti: randomUUID(),
      ...extra,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
  const frameUrl = (sso?: string) =>
    `/embed/frame?${new URLSearchParams({ article: 'long-table', url: PAGE, title: 'The long table', ...(sso === undefined ? {} : { sso }) })}`;
  const inFrame = { 'sec-fetch-dest': 'iframe', 'sec-fetch-site': 'cross-site' };
  const embedCookie = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'parley_embed_session' && c.value !== '');
  const session = async (value: string) =>
    json(await p.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: `parley_embed_session=${value}` } }));

  beforeAll(async () => {
    p = await startParley(dialect, {
      SSO_SECRET: SECRET,
      SSO_AUDIENCE: AUDIENCE,
      EMBED_ALLOWED_ORIGINS: HOST,
      EMBED_COMMENT_POLICY: 'subscribers',
      SSO_LOGIN_URL: `${HOST}/login?next={return}`,
      SUBSCRIBE_URL: `${HOST}/join?from={return}`,
    });
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it('opens a partitioned session from the token and reloads the frame without it', async () => {
    const res = await p.app.inject({ method: 'GET', url: frameUrl(await token()), headers: inFrame });
    expect(res.statusCode).toBe(303);
    const next = new URL(res.headers.location as string, 'http://parley.test');
    expect(next.pathname).toBe('/embed/frame');
    expect(next.searchParams.has('sso')).toBe(false);
    expect(next.searchParams.get('url')).toBe(PAGE);
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = embedCookie(res)!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'None', partitioned: true, path: '/' });
    // The reloaded frame is the signed-in reader's, and they can post from it.
    const page = await p.app.inject({
      method: 'GET',
      url: res.headers.location as string,
      headers: { ...inFrame, cookie: `parley_embed_session=${cookie.value}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Signed in as Member ${sub}`);
    const state = JSON.parse(/<script[^>]*id="parley-state"[^>]*>([^<]*)<\/script>/.exec(page.body)![1]!) as {
      article: { id: number };
      csrfToken: string;
      canParticipate: boolean;
    };
    expect(state.canParticipate).toBe(true);
    const post = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${state.article.id}/comments`,
      headers: { cookie: `parley_embed_session=${cookie.value}`, 'x-csrf-token': state.csrfToken, origin: 'http://localhost:3000' },
      payload: { body: 'Posted from inside the publisher page' },
    });
    expect(post.statusCode).toBe(201);
    expect(json(post).comment.author.name).toBe(`Member ${sub}`);
  });

  it('ends the embed session when the publisher says nobody is signed in, and replaces it on a new token', async () => {
    const first = embedCookie(await p.app.inject({ method: 'GET', url: frameUrl(await token()), headers: inFrame }))!;
    expect((await session(first.value)).viewer).not.toBeNull();
    const second = await p.app.inject({ method: 'GET', url: frameUrl(await token()), headers: { ...inFrame, cookie: `parley_embed_session=${first.value}` } });
    const next = embedCookie(second)!;
    expect((await session(first.value)).viewer).toBeNull();
    expect((await session(next.value)).viewer.name).toBe(`Member ${sub}`);
    const out = await p.app.inject({ method: 'GET', url: frameUrl(''), headers: { ...inFrame, cookie: `parley_embed_session=${next.value}` } });
    expect(out.statusCode).toBe(303);
    expect(embedCookie(out)).toBeUndefined();
    expect(out.cookies.find((c) => c.name === 'parley_embed_session')?.value).toBe('');
    expect((await session(next.value)).viewer).toBeNull();
  });

  it("keeps the frame's session when the token names the reader already signed in", async () => {
    const same = { sub: 'pub-same', email: 'same@publisher.example', name: 'Sam Same' };
    const first = embedCookie(await p.app.inject({ method: 'GET', url: frameUrl(await token(same)), headers: inFrame }))!;
    const again = await p.app.inject({
      method: 'GET',
      url: frameUrl(await token({ ...same, name: 'Sam Renamed' })),
      headers: { ...inFrame, cookie: `parley_embed_session=${first.value}` },
    });
    expect(again.statusCode).toBe(303);
    // No new cookie, none cleared: other frames of the page keep working with theirs.
    expect(again.cookies.find((c) => c.name === 'parley_embed_session')).toBeUndefined();
    const viewer = (await session(first.value)).viewer;
    // The token was still honoured: what the publisher says about the reader is brought up to date.
    expect(viewer.name).toBe('Sam Renamed');
  });

  it('leaves the reader a guest on a bad token, and outside a frame (no login CSRF by top-level link)', async () => {
    for (const bad of [await token({ aud: 'https://elsewhere.example' }), await token({ exp: secs() - 600, iat: secs() - 700 }), 'not.a.jwt.at-all']) {
      const res = await p.app.inject({ method: 'GET', url: frameUrl(bad), headers: inFrame });
      expect(res.statusCode).toBe(303);
      expect(embedCookie(res)).toBeUndefined();
    }
    const topLevel = await p.app.inject({ method: 'GET', url: frameUrl(await token()), headers: { 'sec-fetch-dest': 'document' } });
    expect(topLevel.statusCode).toBe(303);
    expect(embedCookie(topLevel)).toBeUndefined();
    const overlong = await p.app.inject({ method: 'GET', url: frameUrl('x'.repeat(9000)), headers: inFrame });
    expect(overlong.statusCode).toBe(400);
    expect(json(overlong).error.code).toBe('validation');
  });

  it('sends readers coming back to an embedded discussion on to the publisher page', async () => {
    await p.app.inject({ method: 'GET', url: frameUrl(), headers: inFrame });
    const article = (await p.store.articles.list(100)).find((a) => a.url === PAGE)!;
    const back = await p.app.inject({ method: 'GET', url: `/articles/${article.slug}` });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe(`${PAGE}#comments`);
    const deep = await p.app.inject({ method: 'GET', url: `/articles/${article.slug}?comment=12` });
    expect(deep.headers.location).toBe(`${PAGE}#comment-12`);
    // Parley's own articles still render here.
    expect((await p.app.inject({ method: 'GET', url: '/articles/open-thread' })).statusCode).toBe(200);
  });

  it("sends 'Sign in' to the publisher's sign-in page with the way back", async () => {
    const res = await p.app.inject({ method: 'GET', url: `/signin?return=${encodeURIComponent('/articles/open-thread#comments')}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${HOST}/login?next=${encodeURIComponent('/articles/open-thread#comments')}`);
  });

  it("sends 'Subscribe' to the publisher's own subscribe page when they sell memberships themselves", async () => {
    const res = await p.app.inject({ method: 'GET', url: `/subscribe?return=${encodeURIComponent('/articles/open-thread')}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${HOST}/join?from=${encodeURIComponent('/articles/open-thread')}`);
  });
});
