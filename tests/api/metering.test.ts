import { sql } from 'kysely';
import { blankArticle, Store } from '../../src/store/store.js';
import { connect } from '../../src/store/connect.js';
import { migrate } from '../../src/store/migrate.js';
import { systemClock } from '../../src/services/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metering } from '../../src/services/metering.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';
import { startParley, type TestParley } from '../support/harness.js';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const SLUGS = ['meter-a', 'meter-b', 'meter-c', 'meter-d', 'meter-e'];

describe.each(DIALECTS)('metered reading on %s', (dialect) => {
  let p: TestParley;

  async function addArticles(target: TestParley) {
    for (const slug of SLUGS) {
      await target.store.articles.upsert(
        blankArticle({
          slug,
          title: `Article ${slug}`,
          author: 'Writer',
          publishedAt: new Date('2026-11-01T10:00:00Z'),
          body: `## A heading\n\nFirst paragraph of ${slug}.\n\nSecond paragraph of ${slug}.\n\n- a list item of ${slug}\n\nThird paragraph of ${slug}.\n\nFourth paragraph of ${slug}.`,
        }),
        target.clock.now(),
      );
    }
  }

  /** Opens an article page like a browser: sends and keeps the meter cookie in `jar`. */
  async function read(target: TestParley, slug: string, opts: { jar?: Map<string, string>; cookie?: string; ua?: string } = {}) {
    const cookies = [...(opts.jar ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`);
    if (opts.cookie) cookies.push(opts.cookie);
    const res = await target.app.inject({
      method: 'GET',
      url: `/articles/${slug}`,
      headers: { ...(cookies.length ? { cookie: cookies.join('; ') } : {}), ...(opts.ua ? { 'user-agent': opts.ua } : {}) },
    });
    expect(res.statusCode).toBe(200);
    for (const c of res.cookies) opts.jar?.set(c.name, c.value);
    // The meter's cookie is for the server alone, sent back only from this site's own pages.
    for (const c of res.cookies.filter((c) => c.name === 'parley_meter')) expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const full = res.body.includes(`Fourth paragraph of ${slug}.`);
    const cut = res.body.includes('Subscribe to keep reading');
    // Either the whole text or its start with the prompt, never both or neither.
    expect(full).toBe(!cut);
    if (cut) {
      expect(res.body).toContain(`First paragraph of ${slug}.`);
      expect(res.body).toContain(`Second paragraph of ${slug}.`);
      expect(res.body).not.toContain(`a list item of ${slug}`);
      expect(res.body).not.toContain(`Third paragraph of ${slug}.`);
      expect(res.body).toContain(`href="/subscribe?return=%2Farticles%2F${slug}"`);
    }
    // The discussion is public whatever the meter says.
    expect(res.body).toContain('id="parley-root"');
    return { res, full };
  }

  beforeAll(async () => {
    p = await startParley(dialect);
    await addArticles(p);
  });
  afterAll(() => p?.dispose());

  it('cuts the fourth article of the month for an anonymous reader, and lets them re-read the first three', async () => {
    const jar = new Map<string, string>();
    for (const slug of SLUGS.slice(0, 3)) expect((await read(p, slug, { jar })).full).toBe(true);
    const cookie = jar.get('parley_meter')!;
    expect(cookie).toMatch(/^v1\.2026-11\.\d+-\d+-\d+\.[\w-]{43}$/);

    const fourth = await read(p, 'meter-d', { jar });
    expect(fourth.full).toBe(false);
    expect(fourth.res.body).toContain('You have read your 3 free articles this month.');
    expect(fourth.res.body).toContain('href="/signin?return=%2Farticles%2Fmeter-d"');
    expect(jar.get('parley_meter')).toBe(cookie);

    expect((await read(p, 'meter-b', { jar })).full).toBe(true);
    expect((await read(p, 'meter-a', { jar })).full).toBe(true);
    expect((await read(p, 'meter-e', { jar })).full).toBe(false);
  });

  it('does not trust a cookie it did not sign, and starts again each month', async () => {
    const jar = new Map<string, string>();
    for (const slug of SLUGS.slice(0, 3)) await read(p, slug, { jar });
    const signed = jar.get('parley_meter')!;
    const articleD = (await p.store.articles.bySlug('meter-d'))!.id;
    // Claiming that meter-d was already read (a free re-read) needs a signature nobody else has.
    const [v, month, ids, sig] = signed.split('.');
    const forged = `${v}.${month}.${ids}-${articleD}.${sig}`;
    const res = await read(p, 'meter-d', { cookie: `parley_meter=${forged}` });
    // A forged cookie counts as no cookie: this is the reader's first article, and the cookie is replaced.
    expect(res.full).toBe(true);
    expect(res.res.cookies.find((c) => c.name === 'parley_meter')!.value).toMatch(new RegExp(`^v1\\.2026-11\\.${articleD}\\.`));

    expect((await read(p, 'meter-e', { jar })).full).toBe(false);
    p.clock.advance(11 * 86_400_000);
    expect((await read(p, 'meter-e', { jar })).full).toBe(true);
    expect(jar.get('parley_meter')).toMatch(/^v1\.2026-12\.\d+\./);
  });

  it('counts signed-in readers on the server, across devices', async () => {
    const laptop = await p.signIn('counted@example.com');
    for (const slug of SLUGS.slice(0, 3)) expect((await read(p, slug, { cookie: laptop.cookie })).full).toBe(true);
    expect((await read(p, 'meter-a', { cookie: laptop.cookie })).full).toBe(true);
    const phone = await p.signIn('counted@example.com');
    const cut = await read(p, 'meter-d', { cookie: phone.cookie });
    expect(cut.full).toBe(false);
    // Signed in already: the prompt offers Subscribe, not Sign in.
    expect(cut.res.body).not.toContain('Already a subscriber?');
    expect(cut.res.cookies.find((c) => c.name === 'parley_meter')).toBeUndefined();
    const user = (await p.store.users.byEmail('counted@example.com'))!;
    expect((await p.store.billing.readsOfUser(user.id)).map((r) => r.month)).toEqual(['2026-12', '2026-12', '2026-12']);
    expect((await read(p, 'meter-c', { cookie: phone.cookie })).full).toBe(true);
  });

  it('never cuts a subscriber or a moderator, and does not count their reads', async () => {
    await p.accounts.grant('paid@example.com', null);
    const paid = await p.signIn('paid@example.com');
    for (const slug of SLUGS) expect((await read(p, slug, { cookie: paid.cookie })).full).toBe(true);
    const mod = await p.store.users.ensure('mod@example.com', 'Mod', p.clock.now());
    await p.store.users.setRole(mod.id, 'moderator');
    const modSession = await p.signIn('mod@example.com');
    for (const slug of SLUGS) expect((await read(p, slug, { cookie: modSession.cookie })).full).toBe(true);
    expect(await p.store.billing.readsOfUser((await p.store.users.byEmail('paid@example.com'))!.id)).toEqual([]);
  });

  it('gives crawlers the start only, unless the publisher opts in', async () => {
    const res = await read(p, 'meter-a', { ua: GOOGLEBOT });
    expect(res.full).toBe(false);
    expect(res.res.cookies.find((c) => c.name === 'parley_meter')).toBeUndefined();

    const open = await startParley(dialect, { METER_CRAWLERS_FULL_TEXT: 'true', METER_FREE_ARTICLES: '1' });
    try {
      await addArticles(open);
      for (const slug of SLUGS) expect((await read(open, slug, { ua: GOOGLEBOT })).full).toBe(true);
      for (const ua of [
        'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
        'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
      ]) {
        expect((await read(open, 'meter-e', { ua })).full).toBe(true);
      }
      // An ordinary browser on the same site is still metered, here at one article a month.
      const jar = new Map<string, string>();
      expect((await read(open, 'meter-a', { jar, ua: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' })).full).toBe(true);
      const second = await read(open, 'meter-b', { jar, ua: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' });
      expect(second.full).toBe(false);
      expect(second.res.body).toContain('You have read your 1 free article this month.');
    } finally {
      await open.dispose();
    }
  });

  it('keeps the generated cookie key in the database, so every node accepts every cookie', async () => {
    const jar = new Map<string, string>();
    await read(p, 'meter-a', { jar });
    const row = await p.store.db.selectFrom('settings').selectAll().where('key', '=', 'secret_key').executeTakeFirstOrThrow();
    expect(row.value.length).toBeGreaterThanOrEqual(32);
    // Another node: its own Metering over the same database, with no SECRET_KEY configured.
    const otherNode = new Metering(p.store, p.config, p.clock);
    const month = jar.get('parley_meter')!.split('.')[1]!;
    expect(await otherNode.readCookie(jar.get('parley_meter'), month)).toEqual([(await p.store.articles.bySlug('meter-a'))!.id]);
    // With a configured SECRET_KEY the same cookie is not accepted: the key really is what signs it.
    const configured = new Metering(p.store, { ...p.config, SECRET_KEY: 'x'.repeat(40) }, p.clock);
    expect(await configured.readCookie(jar.get('parley_meter'), month)).toEqual([]);
  });
});

describe('the meter key', () => {
  it('is asked for again after a failed read, rather than failing every guest until restart', async () => {
    const db = await freshDatabase('sqlite');
    const conn = connect(db.url);
    try {
      await migrate(conn);
      const store = new Store(conn.db, conn.dialect);
      const node = new Metering(store, { METER_FREE_ARTICLES: 3, METER_CRAWLERS_FULL_TEXT: false, PUBLICATION_TIMEZONE: 'UTC', SECRET_KEY: '' }, systemClock);
      // No key stored yet and no writes allowed: the first start on a full disk, say.
      await sql`pragma query_only = 1`.execute(conn.db);
      await expect(node.secret()).rejects.toThrow();
      await sql`pragma query_only = 0`.execute(conn.db);
      const key = await node.secret();
      expect(key.toString()).toBe(await store.settings.get('secret_key'));
    } finally {
      await conn.close();
      await db.drop();
    }
  });
});

describe("a guest's meter answers", () => {
  const config = { METER_FREE_ARTICLES: 2, METER_CRAWLERS_FULL_TEXT: false, PUBLICATION_TIMEZONE: 'UTC', SECRET_KEY: 'k'.repeat(40) };
  // Guests never touch the database: the key is configured, and only signed-in readers are counted there.
  const noStore = {} as ConstructorParameters<typeof Metering>[0];

  it('are kept per month, article and cookie, so a repeat costs no signing', async () => {
    let now = new Date('2026-11-30T12:00:00Z');
    const node = new Metering(noStore, config, { now: () => now });
    expect(node.keptGuestAnswer({ id: 1 }, undefined, undefined)).toBeUndefined();
    const first = await node.read(null, { id: 1 }, undefined, undefined);
    expect(first.decision).toMatchObject({ full: true, count: true, reason: 'free' });
    expect(await node.read(null, { id: 1 }, undefined, undefined)).toBe(first);
    expect(node.keptGuestAnswer({ id: 1 }, undefined, undefined)).toBe(first);
    // A crawler is never answered from what guests were: it is not metered at all.
    expect(node.keptGuestAnswer({ id: 1 }, undefined, GOOGLEBOT)).toBeUndefined();
    // The cookie the reader came back with is its own answer: a reread, nothing new to set.
    const back = await node.read(null, { id: 1 }, first.cookie!, undefined);
    expect(back).toMatchObject({ decision: { reason: 'reread' }, cookie: null });
    const second = await node.read(null, { id: 2 }, first.cookie!, undefined);
    expect(second.decision).toMatchObject({ full: true, count: true, remaining: 0 });
    const third = await node.read(null, { id: 3 }, second.cookie!, undefined);
    expect(third.decision).toMatchObject({ full: false, reason: 'exhausted' });
    // A forged cookie is a new reader's, whatever it claims; kept answers do not carry it through.
    const forged = second.cookie!.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`);
    expect((await node.read(null, { id: 3 }, forged, undefined)).decision).toMatchObject({ full: true, count: true });
    // A new month starts over, though the cookie and article are the same.
    now = new Date('2026-12-01T00:01:00Z');
    expect(node.keptGuestAnswer({ id: 1 }, undefined, undefined)).toBeUndefined();
    const december = await node.read(null, { id: 1 }, undefined, undefined);
    expect(december).not.toBe(first);
    expect(december.cookie).toMatch(/^v1\.2026-12\./);
  });
});
