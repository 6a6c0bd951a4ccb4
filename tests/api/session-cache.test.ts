import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/store/connect.js';
import { Store } from '../../src/store/store.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

type Who = { cookie: string; csrf: string };
interface Viewer {
  id: number;
  name: string;
  role: string;
  subscriber: boolean;
}

/**
 * Sessions are kept in memory for SESSION_CACHE_SECONDS (src/services/session-cache.ts): each
 * check here reads the session just before the change, so a node that did not forget it would
 * answer from what it kept.
 */
describe.each(DIALECTS)('sessions kept in memory on %s', (dialect) => {
  let p: TestParley;

  const api = (w: Who, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    p.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: w.cookie, 'x-csrf-token': w.csrf }, ...(payload ? { payload } : {}) });
  const session = async (w: Who) => json(await api(w, 'GET', '/session')) as { viewer: Viewer | null; csrfToken: string | null };
  const viewer = async (w: Who) => (await session(w)).viewer;
  const idOf = async (email: string) => (await p.store.users.byEmail(email))!.id;

  beforeAll(async () => {
    p = await startParley(dialect, { SESSION_CACHE_SECONDS: '5' });
    await p.moderation.setRoleByEmail('mia@example.com', 'moderator', 'Mia');
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it("gives each session its own reader and CSRF token, whatever was kept for another's", async () => {
    const ann = await p.signIn('ann@example.com');
    const bea = await p.signIn('bea@example.com');
    for (let i = 0; i < 2; i++) {
      expect(await session(ann)).toMatchObject({ viewer: { name: 'Ann' }, csrfToken: ann.csrf });
      expect(await session(bea)).toMatchObject({ viewer: { name: 'Bea' }, csrfToken: bea.csrf });
    }
  });

  it('ends a session at sign-out, though it was read a moment before', async () => {
    const w = await p.signIn('out@example.com');
    const other = await p.signIn('out@example.com');
    expect((await viewer(w))?.name).toBe('Out');
    expect((await viewer(other))?.name).toBe('Out');
    expect((await api(w, 'POST', '/auth/logout')).statusCode).toBe(200);
    expect(await viewer(w)).toBeNull();
    // The reader's other session is another cookie: it stays.
    expect((await viewer(other))?.name).toBe('Out');
    expect((await api(other, 'DELETE', '/me/sessions')).statusCode).toBe(200);
    expect(await viewer(other)).toBeNull();
  });

  it("ends a banned reader's sessions at once, and shows a suspension, a new role and a new name at once", async () => {
    const mia = await p.signIn('mia@example.com');
    const root = await p.signIn('root@example.com');
    await p.moderation.setRoleByEmail('root@example.com', 'admin', 'Root');
    const cy = await p.signIn('cy@example.com');
    const cyId = await idOf('cy@example.com');
    expect((await viewer(cy))?.role).toBe('reader');
    expect((await viewer(root))?.role).toBe('admin');
    expect((await api(root, 'PUT', `/admin/users/${cyId}/role`, { role: 'moderator' })).statusCode).toBe(200);
    expect((await viewer(cy))?.role).toBe('moderator');
    expect((await api(root, 'PUT', `/admin/users/${cyId}/role`, { role: 'reader' })).statusCode).toBe(200);
    expect((await api(cy, 'PATCH', '/me', { displayName: 'Cy Renamed' })).statusCode).toBe(200);
    expect((await viewer(cy))?.name).toBe('Cy Renamed');
    await p.accounts.grant('cy@example.com', null);
    const open = (await p.store.articles.bySlug('open-thread'))!.id;
    expect((await api(cy, 'POST', `/articles/${open}/comments`, { body: 'before the suspension' })).statusCode).toBe(201);
    expect((await api(mia, 'POST', `/admin/users/${cyId}/suspend`, { hours: 24 })).statusCode).toBe(200);
    expect(json(await api(cy, 'POST', `/articles/${open}/comments`, { body: 'during the suspension' })).error.code).toBe('suspended');
    expect((await api(mia, 'PUT', `/admin/users/${cyId}/ban`, { banned: true })).statusCode).toBe(200);
    expect(await viewer(cy)).toBeNull();
  });

  it('takes a subscription away at once when it is revoked or changed in a transaction (a Stripe or sign-on update)', async () => {
    const dee = await p.signIn('dee@example.com');
    await p.accounts.grant('dee@example.com', null);
    expect((await viewer(dee))?.subscriber).toBe(true);
    await p.accounts.revoke('dee@example.com');
    expect((await viewer(dee))?.subscriber).toBe(false);
    const deeId = await idOf('dee@example.com');
    const now = p.clock.now();
    await p.store.transaction((tx) =>
      tx.billing.putEntitlement({ userId: deeId, source: 'stripe', externalRef: 'sub_dee', status: 'active', currentPeriodEnd: null, now }),
    );
    expect((await viewer(dee))?.subscriber).toBe(true);
    await p.store.transaction((tx) =>
      tx.billing.putEntitlement({ userId: deeId, source: 'stripe', externalRef: 'sub_dee', status: 'canceled', currentPeriodEnd: now, now }),
    );
    expect((await viewer(dee))?.subscriber).toBe(false);
  });

  it('judges a kept subscription at each request: it ends at its end, not when the session is next read', async () => {
    const eve = await p.signIn('eve@example.com');
    await p.accounts.grant('eve@example.com', new Date(p.clock.now().getTime() + 2000));
    expect((await viewer(eve))?.subscriber).toBe(true);
    p.clock.advance(2000);
    expect((await viewer(eve))?.subscriber).toBe(false);
  });

  it("sees another node's change within SESSION_CACHE_SECONDS: the bound on what this node is not told", async () => {
    const fay = await p.signIn('fay@example.com');
    await p.accounts.grant('fay@example.com', null);
    expect((await viewer(fay))?.subscriber).toBe(true);
    // Another node, or the CLI: its own connection and store, which this node hears nothing from.
    const conn = connect(p.config.DATABASE_URL);
    try {
      await new Store(conn.db, conn.dialect).users.deleteSessionsOf(await idOf('fay@example.com'));
    } finally {
      await conn.close();
    }
    expect((await viewer(fay))?.name).toBe('Fay');
    p.clock.advance(4999);
    expect((await viewer(fay))?.name).toBe('Fay');
    p.clock.advance(1);
    expect(await viewer(fay)).toBeNull();
  });
});
