import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

const SECRET = 'a-shared-secret-for-the-sso-security-tests!';
const AUDIENCE = 'https://comments.example.test';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Issue 11: single sign-on must not hand over accounts, replay, sign browsers in by link, or smuggle names. */
describe.each(DIALECTS)('single sign-on security on %s', (dialect) => {
  let p: TestParley;
  let n = 0;

  const secs = () => Math.floor(p.clock.now().getTime() / 1000);
  const token = (claims: JWTPayload) =>
    new SignJWT({ subscriber: false, aud: AUDIENCE, iat: secs() - 5, exp: secs() + 120, jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
  const fresh = () => {
    n++;
    return { sub: `sec-${n}`, email: `sec${n}@publisher.example`, email_verified: true };
  };
  const api = (t: string) => p.app.inject({ method: 'POST', url: '/api/v1/auth/sso', payload: { token: t } });
  const sessionCookie = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'parley_session' && c.value !== '');

  beforeAll(async () => {
    p = await startParley(dialect, { SSO_SECRET: SECRET, SSO_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it('does not hand a staff account, or an unverified address, to a new subject; binds by (issuer, sub)', async () => {
    const admin = await p.moderation.setRoleByEmail('editor@example.com', 'admin', 'Eddie Editor');
    const takeover = await api(await token({ sub: 'attacker-1', email: 'editor@example.com', email_verified: true, name: 'Pwned' }));
    expect(takeover.statusCode).toBe(409);
    expect(json(takeover).error.code).toBe('sso_email_in_use');
    expect(sessionCookie(takeover)).toBeUndefined();
    expect(await p.store.users.byId(admin.id)).toMatchObject({ email: 'editor@example.com', displayName: 'Eddie Editor', role: 'admin' });

    // A reader's address, but the publisher does not vouch for it: refused, nothing changed.
    await p.signIn('rita@publisher.example');
    const rita = (await p.store.users.byEmail('rita@publisher.example'))!;
    const unverified = await api(await token({ sub: 'pub-rita', email: 'rita@publisher.example', name: 'Not Rita' }));
    expect(unverified.statusCode).toBe(409);
    expect(json(unverified).error.code).toBe('sso_email_in_use');
    expect((await p.store.users.byId(rita.id))!.displayName).toBe(rita.displayName);

    // Vouched for, and a reader's: linked to that account.
    const linked = await api(await token({ sub: 'pub-rita', email: 'rita@publisher.example', email_verified: true, name: 'Rita Reader' }));
    expect(linked.statusCode).toBe(200);
    expect(json(linked).viewer).toMatchObject({ id: rita.id, name: 'Rita Reader' });

    // The binding holds when the address changes on the publisher's side...
    const moved = await api(await token({ sub: 'pub-rita', email: 'rita.new@publisher.example', email_verified: true, name: 'Rita Reader' }));
    expect(json(moved).viewer).toMatchObject({ id: rita.id, email: 'rita.new@publisher.example' });
    // ...and once she is staff, sign-on still lets her in but never renames or re-addresses her.
    await p.store.users.setRole(rita.id, 'moderator');
    const staff = await api(await token({ sub: 'pub-rita', email: 'rita.third@publisher.example', email_verified: true, name: 'Renamed Rita' }));
    expect(staff.statusCode).toBe(200);
    expect(await p.store.users.byId(rita.id)).toMatchObject({ email: 'rita.new@publisher.example', displayName: 'Rita Reader', role: 'moderator' });

    // A free address makes a new account, verified or not.
    const newcomer = await api(await token({ sub: 'pub-new', email: 'newcomer@publisher.example', name: 'New Comer' }));
    expect(newcomer.statusCode).toBe(200);
    expect(json(newcomer).viewer.id).not.toBe(rita.id);
  });

  it('lets a deleted account go: the same subject later gets a new account, not the emptied one', async () => {
    const claims = fresh();
    const first = await api(await token({ ...claims, name: 'Gone Soon' }));
    const cookie = `parley_session=${sessionCookie(first)!.value}`;
    const del = await p.app.inject({ method: 'DELETE', url: '/api/v1/me', headers: { cookie, 'x-csrf-token': json(first).csrfToken }, payload: {} });
    expect(del.statusCode).toBe(200);
    const again = await api(await token({ ...claims, name: 'Back Again' }));
    expect(again.statusCode).toBe(200);
    expect(json(again).viewer.id).not.toBe(json(first).viewer.id);
    expect((await p.store.users.byId(json(first).viewer.id))!.email).toMatch(/@deleted\.invalid$/);
  });

  it('takes each token id once, however the token string is respelled, and refuses tokens without one', async () => {
    const t = await token(fresh());
    expect((await api(t)).statusCode).toBe(200);
    const last = ALPHABET.indexOf(t.at(-1)!);
    // The last character of a 32-byte signature carries two unused bits.
    const respelled = [1, 2, 3].map((bits) => t.slice(0, -1) + ALPHABET[last ^ bits]).concat([`${t}=`, `${t}==`]);
    for (const variant of respelled) {
      const res = await api(variant);
      expect(res.statusCode).toBe(401);
      expect(sessionCookie(res)).toBeUndefined();
    }
    // A new signature over the same token id is a replay too.
    const claims = fresh();
    const jti = randomUUID();
    expect((await api(await token({ ...claims, jti }))).statusCode).toBe(200);
    expect((await api(await token({ ...claims, jti, name: 'Other' }))).statusCode).toBe(401);

    const missing = await api(
      await new SignJWT({ ...fresh(), aud: AUDIENCE, iat: secs() - 5, exp: secs() + 120 })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(SECRET)),
    );
    expect(missing.statusCode).toBe(401);
    expect(json(missing).error.code).toBe('sso_jti_missing');
    expect(sessionCookie(missing)).toBeUndefined();
  });

  it("never signs a browser in from a link: an attacker's token in a cross-site navigation sets no session", async () => {
    const attackers = await token({ sub: 'attacker-2', email: 'attacker@evil.example', email_verified: true, name: 'Attacker' });
    const url = `/sso?token=${encodeURIComponent(attackers)}&return=${encodeURIComponent('/articles/open-thread')}`;
    const nav = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    const landed = await p.app.inject({ method: 'GET', url, headers: nav });
    expect(sessionCookie(landed)).toBeUndefined();
    expect(landed.statusCode).toBe(200);
    // What the reader is shown instead: who the token is for, and a button of Parley's own.
    expect(landed.body).toContain('attacker@evil.example');
    expect(landed.body).toMatch(/<form method="post" action="\/sso"/);
    const nonce = /name="nonce" value="([^"]+)"/.exec(landed.body)![1]!;
    const formCookie = landed.cookies.find((c) => c.name === 'parley_sso_form')!;
    expect(formCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The token in the address never leaves as a Referer (and the form still posts a real Origin).
    expect(landed.headers['referrer-policy']).toBe('strict-origin');

    // The attacker's own page posting the token (an auto-submitting form) is cross-site: refused.
    const form = { token: attackers, return: '/articles/open-thread' };
    const crossPost = await p.app.inject({
      method: 'POST',
      url: '/sso',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: form,
    });
    expect(crossPost.statusCode).toBe(403);
    expect(sessionCookie(crossPost)).toBeUndefined();
    // A browser that sends neither Origin nor Sec-Fetch-Site still needs the page's nonce (it cannot be read cross-site).
    const blind = await p.app.inject({
      method: 'POST',
      url: '/sso',
      payload: { ...form, nonce: 'guessed' },
      headers: { cookie: `parley_sso_form=${formCookie.value}` },
    });
    expect(blind.statusCode).toBe(403);
    expect(sessionCookie(blind)).toBeUndefined();
    const sameSiteOnly = await p.app.inject({
      method: 'POST',
      url: '/sso',
      payload: { ...form, nonce },
      headers: { 'sec-fetch-site': 'same-site', cookie: `parley_sso_form=${formCookie.value}` },
    });
    expect(sameSiteOnly.statusCode).toBe(403);

    // Pressing the button on that page, in the reader's own browser, is what signs in.
    const pressed = await p.app.inject({
      method: 'POST',
      url: '/sso',
      payload: { ...form, nonce },
      headers: { origin: p.config.baseUrl, 'sec-fetch-site': 'same-origin', cookie: `parley_sso_form=${formCookie.value}` },
    });
    expect(pressed.statusCode).toBe(303);
    expect(pressed.headers.location).toBe('/articles/open-thread');
    expect(sessionCookie(pressed)).toBeDefined();
  });

  it('applies the display-name rules to names from the token', async () => {
    const bidi = await api(await token({ ...fresh(), name: 'Mallory\u202e evil\u2066' }));
    expect(bidi.statusCode).toBe(200);
    expect(json(bidi).viewer.name).toBe('Mallory evil');
    const controls = await api(await token({ ...fresh(), name: 'Bell\u0007\tRinger\u200b' }));
    expect(json(controls).viewer.name).toBe('Bell Ringer');

    const onlyControls = await api(await token({ ...fresh(), email: 'only.controls@publisher.example', name: '\u202e\u200f\u0000' }));
    expect(json(onlyControls).viewer.name).toBe('Only Controls');

    // An existing reader is not renamed into one either.
    const claims = fresh();
    await api(await token({ ...claims, name: 'Plain Name' }));
    const renamed = await api(await token({ ...claims, name: '\u202egnp.exe' }));
    expect(json(renamed).viewer.name).toBe('gnp.exe');
    expect(json(renamed).viewer.name).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/u);
  });
});
