import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ARTICLE, seedDemo } from '../../src/demo/seed.js';
import { restoreThreads, type Shown, USUAL } from '../../src/domain/hydration.js';
import { addVary, codingWeights, preferredEncoding } from '../../src/http/compression.js';
import { inProcessBus } from '../../src/events/bus.js';
import { PageCache } from '../../src/services/page-cache.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

/** The body as the reader's browser sees it once decoded. */
function decoded(res: LightMyRequestResponse): string {
  const enc = res.headers['content-encoding'];
  const raw = res.rawPayload;
  return (enc === 'br' ? brotliDecompressSync(raw) : enc === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

/** What a comment's markup shows, read back as the widget reads it (web/widget/main.tsx). */
function shownIn(html: string, id: number): Shown {
  const start = html.indexOf(`<article id="comment-${id}"`);
  const el = html.slice(start, html.indexOf('</article>', start));
  const text = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  // "Reply to" is the header's in-page link; the score, the footer's text.
  const to = /<a href="#comment-(\d+)">/.exec(el.slice(0, el.indexOf('</header>')));
  const score = /<footer>(-?\d+)<\/footer>/.exec(el);
  return {
    // The body is the div right after the header; the name, the header's <b>.
    bodyHtml: /<\/header><div>([\s\S]*?)<\/div>(?=<p class="parley-edited">|<footer>)/.exec(el)?.[1] ?? '',
    name: text(/<header[^>]*><b[^>]*>([^<]*)</.exec(el)?.[1] ?? ''),
    createdAt: /<time datetime="([^"]+)"/.exec(el)![1]!,
    parentId: to ? Number(to[1]) : null,
    score: score ? Number(score[1]) : null,
  };
}

const stateOf = (html: string) => JSON.parse(/<script type="application\/json" id="parley-state">(.*?)<\/script>/s.exec(html)![1]!);
const occurrences = (hay: string, needle: string) => hay.split(needle).length - 1;

describe('Accept-Encoding negotiation', () => {
  it('follows the q-values, prefers brotli on a tie and honours refusals', () => {
    expect(preferredEncoding('br, gzip')).toBe('br');
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
    expect(preferredEncoding('gzip;q=1, br;q=0.5')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip')).toBe('gzip');
    expect(preferredEncoding('gzip;q=0, *')).toBe('br');
    expect(preferredEncoding('*;q=0')).toBeNull();
    expect(preferredEncoding('identity')).toBeNull();
    expect(preferredEncoding(undefined)).toBeNull();
  });

  it('answers each header for itself however often headers repeat, long ones too', () => {
    const long = `${'x-custom;q=0.1, '.repeat(30)}gzip;q=1, br;q=0.5`;
    for (let round = 0; round < 3; round++) {
      expect(preferredEncoding('gzip;q=1, br;q=0.5')).toBe('gzip');
      expect(preferredEncoding('br, gzip')).toBe('br');
      expect(preferredEncoding('GZIP;q=0, BR;q=0')).toBeNull();
      expect(preferredEncoding(long)).toBe('gzip');
    }
    expect(Object.isFrozen(codingWeights('br, gzip'))).toBe(true);
  });

  it('adds to Vary what it does not name yet, the same however often a header recurs', () => {
    const varied = (prev: string | undefined, value: string) => {
      const headers = new Map<string, string>(prev === undefined ? [] : [['vary', prev]]);
      addVary({ getHeader: (k: string) => headers.get(k), header: (k: string, v: string) => headers.set(k, v) } as never, value);
      return headers.get('vary');
    };
    for (let round = 0; round < 3; round++) {
      expect(varied(undefined, 'Accept-Encoding')).toBe('Accept-Encoding');
      expect(varied('Cookie, User-Agent', 'Accept-Encoding')).toBe('Cookie, User-Agent, Accept-Encoding');
      expect(varied('Cookie,accept-encoding', 'Accept-Encoding')).toBe('Cookie,accept-encoding');
      expect(varied('*', 'Accept-Encoding')).toBe('*');
      expect(varied(`${'X-Long, '.repeat(40)}Cookie`, 'Accept-Encoding')).toBe(`${'X-Long, '.repeat(40)}Cookie, Accept-Encoding`);
    }
  });
});

describe('the page cache shares one computation', () => {
  it('runs one computation for concurrent readers, and a fresh one for readers who arrive after an event', async () => {
    const bus = inProcessBus();
    const cache = new PageCache<number>(bus);
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async () => {
      const n = ++runs;
      await gate;
      return n;
    };
    const first = [cache.get(1, 'k', compute), cache.get(1, 'k', compute), cache.get(1, 'k', compute)];
    // An event while the first computation runs: its result may miss what the event announced.
    cache.invalidate(1);
    const later = cache.get(1, 'k', compute);
    release();
    expect(await Promise.all(first)).toEqual([1, 1, 1]);
    expect(await later).toBe(2);
    expect(runs).toBe(2);
    // The second one, started after the event, is kept.
    expect(await cache.get(1, 'k', compute)).toBe(2);
    cache.close();
  });

  it("drops an article's pages once per event, however many times the event is heard", async () => {
    const bus = inProcessBus();
    const cache = new PageCache<number>(bus);
    let runs = 0;
    const compute = async () => ++runs;
    expect(await cache.get(1, 'k', compute)).toBe(1);
    // This node's own write: dropped on commit, then heard again from the bus.
    cache.invalidate(1, 7);
    expect(await cache.get(1, 'k', compute)).toBe(2);
    await bus.publish({ articleId: 1, eventId: 7 });
    expect(await cache.get(1, 'k', compute)).toBe(2);
    // A later event, and a drop without one (a change that appended none), still count.
    await bus.publish({ articleId: 1, eventId: 8 });
    expect(await cache.get(1, 'k', compute)).toBe(3);
    cache.invalidate(1);
    expect(await cache.get(1, 'k', compute)).toBe(4);
    cache.close();
  });

  it('lets readers who arrive during a render take the page it replaces, when that is recent; the next reader gets the new one', async () => {
    const bus = inProcessBus();
    const cache = new PageCache<string>(bus, 100, 60_000, 200);
    let release!: () => void;
    let gate = Promise.resolve();
    let n = 0;
    const servedMeanwhile: boolean[] = [];
    const compute = async (meanwhile: boolean) => {
      const v = `v${++n}`;
      servedMeanwhile.push(meanwhile);
      await gate;
      return v;
    };
    expect(await cache.get(1, 'k', compute)).toBe('v1');
    gate = new Promise<void>((r) => (release = r));
    cache.invalidate(1);
    // The first reader after the event starts the render and waits for it; those beside it do not.
    const first = cache.get(1, 'k', compute);
    expect(await cache.get(1, 'k', compute)).toBe('v1');
    release();
    expect(await first).toBe('v2');
    expect(await cache.get(1, 'k', compute)).toBe('v2');
    // A page read longer ago than the cache serves stale is never served after an event: all wait.
    await new Promise((r) => setTimeout(r, 250));
    gate = new Promise<void>((r) => (release = r));
    cache.invalidate(1);
    const waiting = [cache.get(1, 'k', compute), cache.get(1, 'k', compute)];
    release();
    expect(await Promise.all(waiting)).toEqual(['v3', 'v3']);
    expect(n).toBe(3);
    // Each render is told whether readers were given the page it replaced while it ran.
    expect(servedMeanwhile).toEqual([false, true, false]);
    cache.close();
  });

  it('renders a page at most once per refresh interval however many events arrive, and afresh for the first reader after it', async () => {
    const bus = inProcessBus();
    const cache = new PageCache<string>(bus, 100, 60_000, 1000, 150);
    let n = 0;
    const compute = async () => `v${++n}`;
    expect(await cache.get(1, 'k', compute)).toBe('v1');
    for (let i = 0; i < 5; i++) {
      await bus.publish({ articleId: 1, eventId: 10 + i });
      expect(await cache.get(1, 'k', compute)).toBe('v1');
    }
    // Another article's page is its own: its first render is not held back.
    expect(await cache.get(2, 'k', compute)).toBe('v2');
    await new Promise((r) => setTimeout(r, 200));
    expect(await cache.get(1, 'k', compute)).toBe('v3');
    // Without a new event it is kept as it is, however long after.
    expect(await cache.get(1, 'k', compute)).toBe('v3');
    expect(n).toBe(3);
    // A cache that serves nothing stale renders after every event, whatever its interval.
    const strict = new PageCache<string>(bus, 100, 60_000, 0, 150);
    expect(await strict.get(1, 'k', compute)).toBe('v4');
    await bus.publish({ articleId: 1, eventId: 20 });
    expect(await strict.get(1, 'k', compute)).toBe('v5');
    strict.close();
    cache.close();
  });
});

describe.each(DIALECTS)('page delivery on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  const page = (url: string, headers: Record<string, string> = {}) => p.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    // One free article a month makes metered-out guests easy to make.
    p = await startParley(dialect, { CONTENT_DIR: 'content', METER_FREE_ARTICLES: '1' });
    await seedDemo(p);
    articleId = (await p.store.articles.bySlug(DEMO_ARTICLE))!.id;
  });
  afterAll(() => p?.dispose());

  it('compresses pages, JSON and static files with brotli or gzip, decoding to the same body', async () => {
    const reader = await p.signIn('reader@example.com');
    // A signed-in reader's page is one gzip stream of pieces kept deflated (brotli streams cannot be joined).
    const urls: [string, Record<string, string>, 'br' | 'gzip'][] = [
      [`/articles/${DEMO_ARTICLE}`, {}, 'br'], // a guest's page, from the cache
      [`/articles/${DEMO_ARTICLE}`, { cookie: reader.cookie }, 'gzip'], // a signed-in reader's page, made for them
      [`/api/v1/articles/${articleId}/comments?sort=oldest`, {}, 'br'],
      ['/static/site.css', {}, 'br'],
    ];
    for (const [url, headers, best] of urls) {
      const plain = await page(url, headers);
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(String(plain.headers.vary)).toMatch(/Accept-Encoding/i);
      // Signed-in pages carry the reader's own CSRF token and the time: compared without them.
      const same = (s: string) => s.replace(/"now":"[^"]+"/, '');
      for (const [accept, enc] of [
        ['br, gzip', best],
        ['gzip, deflate', 'gzip'],
        ['gzip;q=1, br;q=0.5', 'gzip'],
      ] as const) {
        const res = await page(url, { ...headers, 'accept-encoding': accept });
        expect(res.headers['content-encoding']).toBe(enc);
        expect(String(res.headers.vary)).toMatch(/Accept-Encoding/i);
        expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length);
        expect(same(decoded(res))).toBe(same(plain.body));
      }
    }
  });

  it('answers 304 to a matching If-None-Match on pages and assets, in any coding', async () => {
    const reader = await p.signIn('reader@example.com');
    for (const [url, headers] of [
      [`/articles/${DEMO_ARTICLE}?sort=newest`, {}],
      [`/articles/${DEMO_ARTICLE}?sort=newest`, { cookie: reader.cookie }],
      [`/api/v1/articles/${articleId}/comments?sort=newest`, {}],
      ['/static/site.css', {}],
    ] as [string, Record<string, string>][]) {
      for (const accept of ['', 'br, gzip']) {
        const h = accept ? { ...headers, 'accept-encoding': accept } : headers;
        const first = await page(url, h);
        const etag = first.headers.etag as string;
        expect(etag).toMatch(/^"[^"]+"$/);
        const again = await page(url, { ...h, 'if-none-match': etag });
        expect(again.statusCode).toBe(304);
        expect(again.rawPayload.length).toBe(0);
        // A tag for something else gets the body.
        expect((await page(url, { ...h, 'if-none-match': '"something-else"' })).statusCode).toBe(200);
      }
    }
  });

  it("makes each signed-in reader's page from pieces shared by all readers, with their own name, votes and token", async () => {
    const ada = await p.signIn('reader@example.com'); // the demo's subscriber, who voted on many comments
    const ben = await p.signIn(`ben-${dialect}@example.com`);
    const benId = (await p.store.users.byEmail(`ben-${dialect}@example.com`))!.id;
    await p.store.billing.putEntitlement({ userId: benId, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now: new Date() });
    const pageFor = async (who: { cookie: string }, extra: Record<string, string> = {}) => {
      const res = await page(`/articles/${DEMO_ARTICLE}?sort=oldest`, { cookie: who.cookie, 'accept-encoding': 'gzip, deflate, br', ...extra });
      return { res, html: res.statusCode === 200 ? decoded(res) : '' };
    };
    const a = await pageFor(ada);
    const b = await pageFor(ben);
    for (const [r, csrf] of [
      [a, ada.csrf],
      [b, ben.csrf],
    ] as const) {
      expect(r.res.headers['content-encoding']).toBe('gzip');
      expect(r.html).toContain(`Signed in as ${stateOf(r.html).viewer.name}`);
      expect(stateOf(r.html).csrfToken).toBe(csrf);
    }
    expect(stateOf(a.html).viewer.name).toBe('Ada Subscriber');
    expect(a.html).not.toContain(`Signed in as ${stateOf(b.html).viewer.name}`);
    // Ada's votes ride in her state alone, beside the threads every reader's state shares.
    const votedIn = (html: string) =>
      restoreThreads(stateOf(html).page.threads, (id) => shownIn(html, id), stateOf(html).own)
        .flatMap((t) => [t.comment, ...t.replies])
        .filter((c) => c.myVote).length;
    expect(votedIn(a.html)).toBeGreaterThan(0);
    expect(votedIn(b.html)).toBe(0);
    expect(stateOf(b.html).own).toBeUndefined();
    expect(JSON.stringify(stateOf(a.html).page.threads)).toBe(JSON.stringify(stateOf(b.html).page.threads));
    // Unchanged, a reader's page is answered 304; their own vote changes it, for them.
    expect((await pageFor(ben, { 'if-none-match': b.res.headers.etag as string })).res.statusCode).toBe(304);
    const target = stateOf(b.html).page.threads[0].comment.id as number;
    const voted = await p.app.inject({
      method: 'PUT',
      url: `/api/v1/comments/${target}/vote`,
      headers: { cookie: ben.cookie, 'x-csrf-token': ben.csrf },
      payload: { value: 1 },
    });
    expect(voted.statusCode).toBe(200);
    const after = await pageFor(ben, { 'if-none-match': b.res.headers.etag as string });
    expect(after.res.statusCode).toBe(200);
    expect(votedIn(after.html)).toBe(1);
  });

  it("answers a signed-in reader's JSON page from the threads every reader shares, with their own votes and rights in it", async () => {
    const ada = await p.signIn('reader@example.com'); // voted on many of the demo's comments
    const cal = await p.signIn(`cal-${dialect}@example.com`);
    const calId = (await p.store.users.byEmail(`cal-${dialect}@example.com`))!.id;
    await p.store.billing.putEntitlement({ userId: calId, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now: new Date() });
    const url = `/api/v1/articles/${articleId}/comments?sort=oldest`;
    type Page = { threads: { comment: Record<string, unknown>; replies: Record<string, unknown>[] }[] };
    const fetchAs = async (who: { cookie: string } | null, headers: Record<string, string> = {}) => {
      const res = await page(url, { ...(who ? { cookie: who.cookie } : {}), 'accept-encoding': 'gzip, deflate, br', ...headers });
      return { res, json: res.statusCode === 200 ? (JSON.parse(decoded(res)) as Page) : null };
    };
    const comments = (pg: Page) => pg.threads.flatMap((t) => [t.comment, ...t.replies]);
    // A reader's page is the guests' page but for what is theirs: their votes and their rights.
    const asGuest = (pg: Page) => JSON.parse(JSON.stringify(pg, (k, v) => (k === 'myVote' ? 0 : k === 'canEdit' || k === 'canDelete' ? false : v)));
    const guest = (await fetchAs(null)).json!;
    for (let round = 0; round < 2; round++) {
      const a = await fetchAs(ada);
      const c = await fetchAs(cal);
      for (const r of [a, c]) {
        expect(r.res.headers['content-encoding']).toBe('gzip');
        expect(r.res.headers['content-type']).toMatch(/^application\/json/);
        expect(r.res.headers['cache-control']).toBe('private, no-cache');
        expect(asGuest(r.json!)).toEqual(asGuest(guest));
      }
      const adaVotes = await p.store.votes.ofMany(
        (await p.store.users.byEmail('reader@example.com'))!.id,
        comments(a.json!).map((x) => x.id as number),
      );
      expect(adaVotes.size).toBeGreaterThan(0);
      for (const x of comments(a.json!)) expect(x.myVote).toBe(adaVotes.get(x.id as number) ?? 0);
      expect(comments(c.json!).filter((x) => x.myVote !== 0)).toEqual([]);
      // Without gzip, the same answer whole.
      const plain = await page(url, { cookie: cal.cookie });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(plain.body)).toEqual(c.json);
    }
    // Unchanged, answered 304; Cal's own vote and comment change it, for Cal alone.
    const before = await fetchAs(cal);
    expect((await fetchAs(cal, { 'if-none-match': before.res.headers.etag as string })).res.statusCode).toBe(304);
    const target = before.json!.threads[1]!.comment.id as number;
    const voted = await p.app.inject({
      method: 'PUT',
      url: `/api/v1/comments/${target}/vote`,
      headers: { cookie: cal.cookie, 'x-csrf-token': cal.csrf },
      payload: { value: -1 },
    });
    expect(voted.statusCode).toBe(200);
    const after = await fetchAs(cal, { 'if-none-match': before.res.headers.etag as string });
    expect(after.res.statusCode).toBe(200);
    expect(
      comments(after.json!)
        .filter((x) => x.myVote !== 0)
        .map((x) => [x.id, x.myVote]),
    ).toEqual([[target, -1]]);
    const reply = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: cal.cookie, 'x-csrf-token': cal.csrf },
      payload: { body: 'Cal answers the first thread.', parentId: before.json!.threads[0]!.comment.id },
    });
    expect(reply.statusCode).toBe(201);
    const own = (await fetchAs(cal)).json!;
    const mine = comments(own).filter((x) => x.canEdit);
    expect(mine.map((x) => x.id)).toEqual([JSON.parse(reply.body).comment.id]);
    expect(comments((await fetchAs(ada)).json!).some((x) => x.canEdit && x.id === mine[0]!.id)).toBe(false);
  });

  it('gives each of many signed-in readers their own page once the parts their pages share are kept compressed', async () => {
    const readers = await Promise.all(['reader@example.com', `kim-${dialect}@example.com`, `lou-${dialect}@example.com`].map((e) => p.signIn(e)));
    const url = `/articles/${DEMO_ARTICLE}?sort=newest`;
    // Three rounds: the runs the readers' pages share are seen, then kept, then taken as kept.
    for (let round = 0; round < 3; round++) {
      const pages = [];
      for (const r of readers) {
        const plain = await page(url, { cookie: r.cookie });
        const sent = await page(url, { cookie: r.cookie, 'accept-encoding': 'gzip' });
        expect(sent.headers['content-encoding']).toBe('gzip');
        const html = decoded(sent);
        expect(html.replace(/"now":"[^"]+"/, '')).toBe(plain.body.replace(/"now":"[^"]+"/, ''));
        expect(stateOf(html).csrfToken).toBe(r.csrf);
        // Once its pieces have followed this stream before, the page is nearly as small as compressed whole (17% bigger when each piece went alone).
        if (round === 2) expect(sent.rawPayload.length).toBeLessThan(gzipSync(plain.rawPayload, { level: 9 }).length * 1.06);
        pages.push(html);
      }
      // No reader's page carries another's token or address.
      for (const [i, html] of pages.entries()) {
        for (const [j, other] of pages.entries()) {
          if (i === j) continue;
          expect(html).not.toContain(readers[j]!.csrf);
          expect(html).not.toContain(stateOf(other).viewer.email);
        }
      }
    }
  });

  it("fills one page of a kind in with each reader's own name, token, subscription and settings, never another's", async () => {
    // Two readers of one kind (plain subscribers, following nothing), a third who follows the
    // article and a moderator: the first two get one page filled in twice.
    const people = [
      { email: `tom-${dialect}@example.com`, name: 'Tom <b>&amp;</b> "T"', role: 'reader' },
      { email: `una-${dialect}@example.com`, name: 'Una Ortiz', role: 'reader' },
      { email: `vic-${dialect}@example.com`, name: 'Vic Follower', role: 'reader' },
      { email: `wes-${dialect}@example.com`, name: 'Wes Warden', role: 'moderator' },
    ] as const;
    const readers: ((typeof people)[number] & { cookie: string; csrf: string })[] = [];
    for (const who of people) {
      const user = await p.store.users.ensure(who.email, who.name, new Date());
      await p.store.db.updateTable('users').set({ role: who.role }).where('id', '=', user.id).execute();
      await p.store.billing.putEntitlement({ userId: user.id, source: 'manual', externalRef: '', status: 'active', currentPeriodEnd: null, now: new Date() });
      readers.push({ ...who, ...(await p.signIn(who.email)) });
    }
    const vic = readers[2]!;
    const followed = await p.app.inject({
      method: 'PUT',
      url: `/api/v1/articles/${articleId}/follow`,
      headers: { cookie: vic.cookie, 'x-csrf-token': vic.csrf },
      payload: { follow: true },
    });
    expect(followed.statusCode).toBeLessThan(300);
    // As the renderer escapes text: `>` needs no escaping there.
    const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    for (let round = 0; round < 2; round++) {
      const pages = [];
      for (const r of readers) {
        const res = await page(`/articles/${DEMO_ARTICLE}?sort=top`, { cookie: r.cookie, 'accept-encoding': 'gzip' });
        const html = decoded(res);
        expect(html).toContain(`Signed in as ${escaped(r.name)}</span>`);
        expect(stateOf(html).viewer.name).toBe(r.name);
        // Both forms carry the reader's token: signing out and the no-script notify form.
        expect(occurrences(html, `name="_csrf" value="${r.csrf}"`)).toBe(2);
        expect(html.includes('href="/admin"')).toBe(r.role === 'moderator');
        expect(html).toContain('class="subscription-state"');
        expect(html.includes('name="follow" value="yes" checked')).toBe(r === vic);
        pages.push(html);
      }
      for (const [i, html] of pages.entries()) {
        for (const [j, other] of readers.entries()) {
          if (i === j) continue;
          expect(html).not.toContain(other.csrf);
          expect(html).not.toContain(`Signed in as ${escaped(other.name)}`);
        }
      }
      // The two readers of one kind differ only in what is theirs.
      const strip = (html: string, r: (typeof readers)[number]) =>
        html
          .replaceAll(r.csrf, 'TOKEN')
          .replaceAll(escaped(r.name), 'NAME')
          .replace(/<script type="application\/json" id="parley-state">.*?<\/script>/s, '');
      expect(strip(pages[0]!, readers[0]!)).toBe(strip(pages[1]!, readers[1]!));
    }
  });

  it('tells the page the last event before it was read, and a stream opened after it gets what came since', async () => {
    const before = stateOf((await page(`/articles/${DEMO_ARTICLE}?sort=newest`)).body).page.since as number;
    expect(before).toBeGreaterThanOrEqual(0);
    const author = await p.signIn('jon.marsh@example.com');
    const posted = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: author.cookie, 'x-csrf-token': author.csrf },
      payload: { body: 'Posted between the page and its stream.' },
    });
    expect(posted.statusCode).toBe(201);
    const after = stateOf((await page(`/articles/${DEMO_ARTICLE}?sort=newest`)).body).page.since as number;
    expect(after).toBeGreaterThan(before);
    const events = await p.store.events.since(articleId, before, 10);
    expect(events.map((e) => e.commentId)).toContain(posted.json().comment.id);
    expect(events.every((e) => e.id > before && e.id <= after)).toBe(true);
  });

  it('links fingerprinted assets, served immutable; pages are revalidated', async () => {
    const res = await page(`/articles/${DEMO_ARTICLE}`);
    expect(res.headers['cache-control']).toMatch(/no-cache/);
    const css = /href="(\/static\/site\.css\?v=([\w-]+))"/.exec(res.body);
    expect(css).not.toBeNull();
    const asset = await page(css![1]!);
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Another build's hash, or none: the same file, but not kept for a year under that address.
    for (const url of ['/static/site.css', '/static/site.css?v=not-this-one']) {
      const other = await page(url);
      expect(other.statusCode).toBe(200);
      expect(other.headers['cache-control']).not.toMatch(/immutable/);
      expect(other.body).toBe(asset.body);
    }
    expect((await page('/static/no-such-file.css')).statusCode).toBe(404);
  });

  it('caches the whole and the cut page apart: a metered-out guest never gets the whole text, a guest with free reads never the cut', async () => {
    const slugs = (await p.store.articles.list(10)).map((a) => a.slug).filter((s) => s !== DEMO_ARTICLE);
    expect(slugs.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = slugs as [string, string, string];
    const cut = (res: LightMyRequestResponse) => res.body.includes('id="paywall-heading"');
    // A guest spends their one free article on `a`.
    const first = await page(`/articles/${a}`);
    expect(cut(first)).toBe(false);
    const meter = first.cookies.find((k) => k.name === 'parley_meter')!;
    const spent = { cookie: `parley_meter=${meter.value}` };
    // A fresh guest puts `b` whole in the cache; the spent guest must still get it cut.
    expect(cut(await page(`/articles/${b}`))).toBe(false);
    expect(cut(await page(`/articles/${b}`, spent))).toBe(true);
    // The spent guest puts `c` cut in the cache; a fresh guest must still get it whole.
    const cutC = await page(`/articles/${c}`, spent);
    expect(cut(cutC)).toBe(true);
    const wholeC = await page(`/articles/${c}`);
    expect(cut(wholeC)).toBe(false);
    // Both served from the cache: the same bytes for every guest in the same case.
    expect((await page(`/articles/${c}`, spent)).headers.etag).toBe(cutC.headers.etag);
    expect((await page(`/articles/${c}`)).headers.etag).toBe(wholeC.headers.etag);
    // The article they already read stays whole for the spent guest.
    expect(cut(await page(`/articles/${a}`, spent))).toBe(false);
  });

  it('ships each comment body once: in the markup, not again in the state', async () => {
    const api = json(await page(`/api/v1/articles/${articleId}/comments?sort=oldest`));
    const comments = api.threads.flatMap((t: any) => [t.comment, ...t.replies]).filter((c: any) => c.status === 'visible');
    expect(comments.length).toBeGreaterThan(30);
    const reader = await p.signIn('reader@example.com');
    for (const headers of [{}, { cookie: reader.cookie }] as Record<string, string>[]) {
      const res = await page(`/articles/${DEMO_ARTICLE}?sort=oldest`, headers);
      const state = stateOf(res.body);
      const inState = state.page.threads.flatMap((t: any) => [t.comment, ...(t.replies ?? [])]);
      expect(inState.length).toBe(comments.length + 1); // and the deleted one
      for (const c of inState) {
        expect(c).not.toHaveProperty('bodyHtml');
        expect(c).not.toHaveProperty('bodySrc');
      }
      for (const c of comments) expect(occurrences(res.body, c.bodyHtml), `comment ${c.id}`).toBe(1);
    }
  });

  it('carries no field the widget can tell otherwise, and hydrates to the very comments the API gives', async () => {
    const reader = await p.signIn('reader@example.com');
    for (const headers of [{}, { cookie: reader.cookie }] as Record<string, string>[]) {
      const res = await page(`/articles/${DEMO_ARTICLE}?sort=oldest`, headers);
      const state = stateOf(res.body);
      const inState = state.page.threads.flatMap((t: any) => [t.comment, ...(t.replies ?? [])]);
      for (const c of inState) {
        // Name, time and the parent answered are in the header, the score in the footer, the root is
        // the thread's; the author is their id alone.
        expect(c).not.toHaveProperty('createdAt');
        expect(c).not.toHaveProperty('rootId');
        if (c.status !== 'deleted') expect(c).not.toHaveProperty('score');
        if (c.author !== null) expect(typeof c.author).toBe('number');
        for (const [k, v] of Object.entries(USUAL)) if (k in c) expect(c[k], `comment ${c.id}: ${k} at its usual value`).not.toEqual(v);
        for (const [k, v] of Object.entries(c)) expect(v, `comment ${c.id}: ${k}`).not.toBe(false);
      }
      // Under a fifth of the ~380 bytes a comment took with every field spelled out.
      expect(JSON.stringify(state.page).length / inState.length).toBeLessThan(70);
      // What the widget rebuilds from state and markup is what the API answers the same reader.
      const restored = restoreThreads(state.page.threads, (id) => shownIn(res.body, id), state.own);
      const api = json(await page(`/api/v1/articles/${articleId}/comments?sort=oldest`, headers));
      const sourceless = (c: any) => ({ ...c, bodySrc: null });
      expect(restored).toEqual(api.threads.map((t: any) => ({ ...t, comment: sourceless(t.comment), replies: t.replies.map(sourceless) })));
    }
  });

  it("gives a comment's source to its author alone, for the editor", async () => {
    const author = await p.signIn('pete.lindqvist@example.com');
    const posted = json(
      await p.app.inject({
        method: 'POST',
        url: `/api/v1/articles/${articleId}/comments`,
        headers: { cookie: author.cookie, 'x-csrf-token': author.csrf },
        payload: { body: 'Some *source* text.' },
      }),
    );
    const id = posted.comment.id;
    const mine = await page(`/api/v1/comments/${id}/source`, { cookie: author.cookie });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({ body: 'Some *source* text.' });
    const other = await p.signIn('reader@example.com');
    expect((await page(`/api/v1/comments/${id}/source`, { cookie: other.cookie })).statusCode).toBe(404);
    expect((await page(`/api/v1/comments/${id}/source`)).statusCode).toBe(401);
  });

  it("drops the guests' cached page, and the article readers' pages show, on the article's next event", async () => {
    // Oldest first: the test clock is earlier than the demo's comments, so the new one leads.
    const before = await page(`/articles/${DEMO_ARTICLE}?sort=oldest`);
    const count = Number(/(\d+) Comments/.exec(before.body)![1]);
    const reader = await p.signIn('reader@example.com');
    const readerCount = async () => Number(/(\d+) Comments/.exec((await page(`/articles/${DEMO_ARTICLE}?sort=oldest`, { cookie: reader.cookie })).body)![1]);
    // Read twice, so the second view is served from what the first one kept.
    expect(await readerCount()).toBe(count);
    expect(await readerCount()).toBe(count);
    const author = await p.signIn('jon.marsh@example.com');
    const res = await p.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${articleId}/comments`,
      headers: { cookie: author.cookie, 'x-csrf-token': author.csrf },
      payload: { body: 'A word just after the cache was filled.' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().comment.status).toBe('visible');
    const after = await page(`/articles/${DEMO_ARTICLE}?sort=oldest`, { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain(`${count + 1} Comments`);
    expect(after.body).toContain('A word just after the cache was filled.');
    expect(await readerCount()).toBe(count + 1);
  });

  it("shows a signed-in reader the article's new text as soon as it is stored", async () => {
    const reader = await p.signIn('reader@example.com');
    const view = async () => (await page(`/articles/${DEMO_ARTICLE}`, { cookie: reader.cookie })).body;
    const { id: _id, commentCount: _count, ...article } = (await p.store.articles.byId(articleId))!;
    expect(await view()).toContain(article.title);
    await p.store.articles.upsert({ ...article, title: 'Night trains, revised' }, new Date());
    expect(await view()).toContain('Night trains, revised');
    await p.store.articles.upsert(article, new Date());
    expect(await view()).not.toContain('Night trains, revised');
  });
});

describe('guest pages of a hot thread', () => {
  let p: TestParley;
  beforeAll(async () => {
    p = await startParley('sqlite', { CONTENT_DIR: 'content', GUEST_PAGE_REFRESH_MS: '400' });
    await seedDemo(p);
  });
  afterAll(() => p?.dispose());

  it('are rendered again at most once per interval, each naming the last event it shows so the widget catches up', async () => {
    const articleId = (await p.store.articles.bySlug(DEMO_ARTICLE))!.id;
    const author = await p.signIn('jon.marsh@example.com');
    const guestPage = async () => stateOf((await p.app.inject({ method: 'GET', url: `/articles/${DEMO_ARTICLE}?sort=oldest` })).body).page;
    const guestApi = async () => (await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments?sort=oldest` })).json();
    const first = await guestPage();
    const firstApi = await guestApi();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const posted = await p.app.inject({
        method: 'POST',
        url: `/api/v1/articles/${articleId}/comments`,
        headers: { cookie: author.cookie, 'x-csrf-token': author.csrf },
        payload: { body: `Burst comment ${i}.` },
      });
      expect(posted.statusCode).toBe(201);
      ids.push(posted.json().comment.id);
    }
    // Within the interval guests get the page as it was, which says what it shows up to.
    const during = await guestPage();
    expect(during.since).toBe(first.since);
    expect((await guestApi()).since).toBe(firstApi.since);
    // Everything after `since` is what the widget's stream replays: the burst, all of it.
    const missed = await p.store.events.since(articleId, during.since, 10);
    expect(missed.map((e) => e.commentId)).toEqual(expect.arrayContaining(ids));
    await new Promise((r) => setTimeout(r, 450));
    const after = await guestPage();
    expect(after.since).toBeGreaterThan(first.since);
    // The harness's clock stands before the demo's comments: the burst comes first, oldest first.
    const firstIds = (page: { threads: { comment: { id: number } }[] }) => page.threads.slice(0, 3).map((t) => t.comment.id);
    expect(firstIds(after)).toEqual(ids);
    expect(firstIds(await guestApi())).toEqual(ids);
    expect(firstIds(during)).not.toEqual(ids);
  });
});
