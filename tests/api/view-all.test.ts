import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

/** The comment ids a server-rendered page shows as comments (one `<article id="comment-N">` each). */
const articleIds = (html: string) => [...html.matchAll(/<article id="comment-(\d+)"/g)].map((m) => Number(m[1]));
/** The stand-ins a page gives `#comment-N` links to comments it does not show (inside <noscript>). */
const standIns = (html: string) => {
  const block = /<p class="parley-targets">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  return [...block.matchAll(/<a id="comment-(\d+)"/g)].map((m) => Number(m[1]));
};
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
/** The address of a thread's no-JS `Show N more replies` link on a rendered page. */
const moreLink = (html: string, rootId: number) => {
  const m = new RegExp(`<a href="([^"]*#comment-${rootId})">Show \\d+ more repl`).exec(html);
  return m ? m[1]!.replaceAll('&amp;', '&') : null;
};

/**
 * Issue 15: `View all comments` shows every comment (pages of top-level comments, each with all
 * its replies); without JavaScript, expanding threads adds up and links to comments the page
 * does not show still lead to them; deleted replies with nothing beneath them are left out.
 */
describe.each(DIALECTS)('the whole discussion on %s', (dialect) => {
  let p: TestParley;
  let articleId: number;
  let ada: Actor;
  let bob: Actor;
  const path = '/articles/members-thread';

  const post = async (who: Actor, text: string, parent: number | null = null) => {
    p.clock.advance(60_000);
    return (await p.discussions.post(who, articleId, text, parent)).comment.id;
  };
  const page = async (query: string) => json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/comments?${query}` }));
  const html = async (query: string) => {
    const res = await p.app.inject({ method: 'GET', url: `${path}${query}` });
    expect(res.statusCode, query).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    p = await startParley(dialect, { PAGE_SIZE: '2', REPLIES_PER_THREAD: '2' });
    articleId = (await p.store.articles.bySlug('members-thread'))!.id;
    ada = await p.accounts.actorFor(await p.store.users.ensure('ada@example.com', 'Ada', new Date()));
    bob = await p.accounts.actorFor(await p.store.users.ensure('bob@example.com', 'Bob', new Date()));
  });
  afterAll(() => p?.dispose());

  let a: number;
  let chain: number[];
  let b: number;
  let bReplies: number[];
  let c: number;
  let e: number[];
  let all: number[];

  it('View all comments pages by top-level comments, each with every reply, deep chains included', async () => {
    a = await post(ada, 'A');
    chain = [];
    for (let i = 0, parent = a; i < 6; i++) parent = chain[chain.push(await post(i % 2 ? ada : bob, `A chain ${i}`, parent)) - 1]!;
    b = await post(bob, 'B');
    bReplies = [await post(ada, 'B1', b), await post(bob, 'B2', b), await post(ada, 'B3', b)];
    c = await post(ada, 'C');
    e = [await post(bob, 'E1'), await post(ada, 'E2'), await post(bob, 'E3'), await post(ada, 'E4')];
    all = [a, ...chain, b, ...bReplies, c, ...e];

    const first = await page('sort=oldest');
    expect(first.threads[0].replies).toHaveLength(2);
    expect(first.threads[0].moreReplies).toBe(4);

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const got = await page(`sort=oldest&all=1${cursor ? `&cursor=${cursor}` : ''}`);
      // Pages of whole threads are measured in comments: 3 PAGE_SIZEs of threads, ending after 12 PAGE_SIZEs of comments.
      expect(got.threads.length).toBeLessThanOrEqual(6);
      let n = 0;
      for (const t of got.threads) {
        expect(t.moreReplies, `thread ${t.comment.id}`).toBe(0);
        seen.push(t.comment.id, ...t.replies.map((r: { id: number }) => r.id));
        n += 1 + t.replies.length;
      }
      if (got.nextCursor) expect(got.threads.length === 6 || n >= 24).toBe(true);
      cursor = got.nextCursor;
      pages++;
    } while (cursor);
    // A, B, C and E1-E3 (6 threads, 14 comments), then E4.
    expect(pages).toBe(2);
    expect(sorted(seen)).toEqual(sorted(all));

    // The same without JavaScript: the page and its `Load more` link.
    const one = await html('?sort=oldest&all=1');
    const next = /<a href="\?sort=oldest&amp;cursor=([\w-]+)#comments">/.exec(one)?.[1];
    expect(next).toBeTruthy();
    const two = await html(`?sort=oldest&cursor=${next}`);
    expect(sorted([...articleIds(one), ...articleIds(two)])).toEqual(sorted(all));
  });

  it('opens threads without JavaScript one after another, each link keeping the ones already open', async () => {
    const start = await html('?sort=oldest');
    expect(articleIds(start)).toEqual([a, chain[0], chain[1], b, bReplies[0], bReplies[1]]);
    const openA = moreLink(start, a)!;
    expect(openA).toBe(`?sort=oldest&expand=${a}#comment-${a}`);
    const afterA = await html(openA.split('#')[0]!);
    expect(articleIds(afterA)).toEqual([a, ...chain, b, bReplies[0], bReplies[1]]);
    expect(moreLink(afterA, a)).toBeNull();
    const openB = moreLink(afterA, b)!;
    expect(openB).toBe(`?sort=oldest&expand=${a},${b}#comment-${b}`);
    const afterB = await html(openB.split('#')[0]!);
    expect(articleIds(afterB)).toEqual([a, ...chain, b, ...bReplies]);

    // A thread opened on the next page stays open (and shown) when the reader goes on.
    const nextPage = /<a href="\?sort=oldest&amp;cursor=([\w-]+)#comments">/.exec(start)![1];
    const there = await html(`?sort=oldest&cursor=${nextPage}&expand=${a}`);
    expect(articleIds(there)).toEqual([a, ...chain, c, e[0]]);
  });

  it('a link to a comment the page does not show leads to it without JavaScript', async () => {
    const start = await html('?sort=oldest');
    // `#comment-N` never reaches the server: each comment not on the page has a stand-in linking to `?comment=N`.
    expect(sorted(standIns(start))).toEqual(sorted(all.filter((id) => !articleIds(start).includes(id))));
    expect(start).toContain(`<a id="comment-${chain[5]}" href="?comment=${chain[5]}#comment-${chain[5]}">`);
    // Stand-ins live in <noscript>: with JavaScript the widget fetches the thread itself.
    expect(start).toMatch(/<noscript><p class="parley-targets">/);
    // Its thread is then shown whole, the linked comment in it.
    const linked = await html(`?comment=${chain[5]}`);
    expect(articleIds(linked).slice(0, 7)).toEqual([a, ...chain]);
    expect(standIns(linked)).not.toContain(chain[5]);
    // The hydration state carries none of the stand-ins.
    const state = JSON.parse(/<script type="application\/json" id="parley-state">([\s\S]*?)<\/script>/.exec(linked)![1]!);
    expect(state.elsewhere).toBeUndefined();
  });

  it('leaves out deleted replies with nothing beneath them, keeps those above a reply, and counts right', async () => {
    const d = await post(ada, 'D');
    const bare = await post(bob, 'answered by nobody', d);
    const keptAbove = await post(bob, 'answered, then deleted', d);
    const answer = await post(ada, 'the answer', keptAbove);
    const chainTop = await post(bob, 'deleted, with only a deleted answer', d);
    const chainBottom = await post(ada, 'deleted too', chainTop);
    const last = await post(ada, 'still here', d);
    for (const [who, id] of [
      [bob, bare],
      [bob, keptAbove],
      [bob, chainTop],
      [ada, chainBottom],
    ] as const)
      await p.discussions.remove(who, id);

    const newest = await page('sort=newest');
    const thread = newest.threads.find((t: { comment: { id: number } }) => t.comment.id === d);
    // Two per thread: the kept placeholder and its answer; one more (`still here`), not four.
    expect(thread.replies.map((r: { id: number }) => r.id)).toEqual([keptAbove, answer]);
    expect(thread.replies[0].status).toBe('deleted');
    expect(thread.moreReplies).toBe(1);
    const rest = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${d}/replies?cursor=${thread.repliesCursor}` }));
    expect(rest.replies.map((r: { id: number }) => r.id)).toEqual([last]);
    expect(rest.moreReplies).toBe(0);

    const whole = await page('sort=newest&all=1');
    expect(whole.threads.find((t: { comment: { id: number } }) => t.comment.id === d).replies.map((r: { id: number }) => r.id)).toEqual([
      keptAbove,
      answer,
      last,
    ]);
    const linked = json(await p.app.inject({ method: 'GET', url: `/api/v1/comments/${d}/thread` }));
    expect(linked.replies.map((r: { id: number }) => r.id)).toEqual([keptAbove, answer, last]);
    expect(linked.moreReplies).toBe(0);

    // Once its answer goes too, the placeholder above it has nothing left to hold up.
    await p.discussions.remove(ada, answer);
    const after = await page('sort=newest&all=1');
    expect(after.threads.find((t: { comment: { id: number } }) => t.comment.id === d).replies.map((r: { id: number }) => r.id)).toEqual([last]);
  });

  it('refuses a malformed expand list with a clear 400', async () => {
    const res = await p.app.inject({ method: 'GET', url: `${path}?expand=1,,2` });
    expect(res.statusCode).toBe(400);
  });
});
