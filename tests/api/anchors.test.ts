import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRange } from '../../src/domain/anchoring.js';
import { anchorableText } from '../../src/services/anchors.js';
import { loadContent } from '../../src/services/content.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

describe.each(DIALECTS)('comments on passages on %s', (dialect) => {
  let p: TestParley;
  let dir: string;
  let articleId: number;
  let ada: { cookie: string; csrf: string };
  const file = () => join(dir, 'open-thread.md');

  const select = async (phrase: string) => {
    const text = anchorableText((await p.store.articles.byId(articleId))!.body);
    const at = text.indexOf(phrase);
    expect(at, `"${phrase}" in the article`).toBeGreaterThanOrEqual(0);
    return describeRange(text, at, at + phrase.length);
  };
  const post = (payload: object) =>
    p.app.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/comments`, headers: { cookie: ada.cookie, 'x-csrf-token': ada.csrf }, payload });

  beforeAll(async () => {
    // A content folder of our own, so the test can edit the article and reload it.
    dir = mkdtempSync(join(tmpdir(), 'parley-content-'));
    writeFileSync(file(), readFileSync('tests/fixtures/content/open-thread.md', 'utf8'));
    p = await startParley(dialect, { CONTENT_DIR: dir });
    articleId = (await p.store.articles.bySlug('open-thread'))!.id;
    await p.accounts.grant('ada@example.com', null);
    ada = await p.signIn('ada@example.com');
  });
  afterAll(() => p?.dispose());

  it('stores a comment on a passage and lists passage comments in article order', async () => {
    const second = await post({ body: 'About the emphasis', anchor: await select('Second paragraph, with emphasis') });
    expect(second.statusCode).toBe(201);
    expect(json(second).comment.anchor).toMatchObject({ exact: 'Second paragraph, with emphasis', status: 'anchored' });
    const first = await post({ body: 'About the opening', anchor: await select('First paragraph') });
    expect(first.statusCode).toBe(201);
    const list = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/passages` }));
    expect(list.comments.map((c: { bodySrc: string }) => c.bodySrc)).toEqual(['About the opening', 'About the emphasis']);
  });

  it('serves the same list as a page for readers without JavaScript, linked from the article', async () => {
    const article = await p.app.inject({ method: 'GET', url: '/articles/open-thread' });
    expect(article.body).toContain('<noscript><p class="inline-link"><a href="/articles/open-thread/inline">');
    const page = await p.app.inject({ method: 'GET', url: '/articles/open-thread/inline' });
    expect(page.statusCode).toBe(200);
    const opening = page.body.indexOf('About the opening');
    const emphasis = page.body.indexOf('About the emphasis');
    expect(opening).toBeGreaterThan(0);
    expect(emphasis).toBeGreaterThan(opening);
    expect(page.body).toContain('<blockquote class="parley-passage-quote">Second paragraph, with emphasis</blockquote>');
    expect((await p.app.inject({ method: 'GET', url: '/articles/no-such-article/inline' })).statusCode).toBe(404);
  });

  it('refuses malformed selectors, passages not in the article, and passages on replies', async () => {
    const good = await select('Third paragraph');
    const bad = [
      { ...good, quote: { ...good.quote, type: 'Other' } },
      { ...good, extra: 1 },
      { ...good, position: { ...good.position, end: good.position.end + 3 } },
      { quote: { ...good.quote, exact: 'Words that are nowhere' }, position: { type: 'TextPositionSelector', start: 0, end: 22 } },
    ];
    for (const anchor of bad) {
      const res = await post({ body: 'x', anchor });
      expect(res.statusCode, JSON.stringify(anchor)).toBe(400);
      expect(json(res).error.code).toMatch(/^(validation|bad_anchor|anchor_not_found)$/);
    }
    const parent = json(await post({ body: 'parent' })).comment;
    const reply = await post({ body: 'reply', parentId: parent.id, anchor: good });
    expect(json(reply).error.code).toBe('anchor_on_reply');
  });

  it('follows its words when the article is edited, and orphans what was deleted', async () => {
    const fourth = json(await post({ body: 'On the ending', anchor: await select('Fourth paragraph, the end.') })).comment;
    const third = json(await post({ body: 'On the cut', anchor: await select('for the meter to cut') })).comment;
    const src = readFileSync(file(), 'utf8');
    writeFileSync(
      file(),
      src
        .replace('First paragraph of the test article.', 'A brand new opening paragraph, added later.\n\nFirst paragraph of the test article.')
        .replace('Third paragraph, for the meter to cut.', 'A rewritten third paragraph.'),
    );
    await loadContent(dir, p.store, p.clock);
    const text = (await import('../../src/services/anchors.js')).anchorableText((await p.store.articles.byId(articleId))!.body);
    const moved = (await p.store.comments.byId(fourth.id))!.anchor!;
    expect(moved.status).toBe('anchored');
    expect(text.slice(moved.start, moved.end)).toBe('Fourth paragraph, the end.');
    expect((await p.store.comments.byId(third.id))!.anchor).toMatchObject({ status: 'orphaned', exact: 'for the meter to cut' });
    const list = json(await p.app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}/passages` }));
    expect(list.comments.at(-1).id).toBe(third.id);
  });
});
