import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedArticles, embedSlug } from '../../src/services/embedded-articles.js';
import { DIALECTS } from '../support/databases.js';
import { startParley, type TestParley } from '../support/harness.js';

describe.each(DIALECTS)('articles registered by the embed on %s', (dialect) => {
  let p: TestParley;
  afterEach(() => p?.dispose());

  it('are named by their first load, even when loads race, and dated by the injected clock', async () => {
    p = await startParley(dialect);
    const embedded = new EmbeddedArticles(p.store, p.config, p.clock);
    const titles = Array.from({ length: 10 }, (_, i) => `Title ${i}`);
    const all = await Promise.all(titles.map((t, i) => embedded.register('story-42', `https://news.example/${i}`, t)));
    expect(new Set(all.map((a) => a.id)).size).toBe(1);
    const stored = (await p.store.articles.bySlug(embedSlug('story-42')))!;
    // Whichever load won, every answer and the row agree: no later load rewrote it.
    expect(all.every((a) => a.title === stored.title && a.url === stored.url)).toBe(true);
    expect(stored.publishedAt.getTime()).toBe(p.clock.now().getTime());
    const later = await embedded.register('story-42', 'https://evil.example/', 'Renamed');
    expect(later.title).toBe(stored.title);
    expect(later.url).toBe(stored.url);
  });
});
