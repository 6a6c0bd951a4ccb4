import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/messages/locales/index.js';
import { parseArticle } from '../../src/services/content.js';
import { DIALECTS } from '../support/databases.js';
import { json, startParley, type TestParley } from '../support/harness.js';

const fr = messagesFor('fr');
const ar = messagesFor('ar');
const de = messagesFor('de');

/** The fixture article under another slug, with `lang` in its front matter when given. */
function article(dir: string, slug: string, lang: string | null) {
  const src = readFileSync('tests/fixtures/content/open-thread.md', 'utf8');
  writeFileSync(join(dir, `${slug}.md`), lang ? src.replace('comments: subscribers', `comments: subscribers\nlang: ${lang}`) : src);
}

describe.each(DIALECTS)('languages: LOCALE and an article front matter lang, on %s', (dialect) => {
  let p: TestParley;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-locales-'));
    article(dir, 'plain-thread', null);
    article(dir, 'arabic-thread', 'ar');
    article(dir, 'german-thread', 'de');
    p = await startParley(dialect, { CONTENT_DIR: dir, LOCALE: 'fr', EMBED_ALLOWED_ORIGINS: 'https://publisher.example' });
  });
  afterAll(async () => {
    await p?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const page = async (url: string) => (await p.app.inject({ method: 'GET', url })).body;

  it('serves pages in LOCALE, with its widget bundle, when an article names no language', async () => {
    const body = await page('/articles/plain-thread');
    expect(body).toContain('<html lang="fr" dir="ltr">');
    expect(body).toContain(fr.pages.signIn);
    expect(body).toContain(fr.widget.joinHeading);
    expect(body).toMatch(/<script type="module" src="\/static\/widget\.fr\.js(\?v=[\w-]+)?">/);
    expect(body).not.toContain('/static/widget.js');
    // The article's date in French, not the English page design's "November 10, 2026 - 5:00pm".
    expect(body).toContain('10 novembre 2026');
    const home = await page('/');
    expect(home).toContain(fr.pages.homeHeading);
  });

  it('serves an article in its own language: Arabic right to left, its widget, dates and plurals', async () => {
    const body = await page('/articles/arabic-thread');
    expect(body).toContain('<html lang="ar" dir="rtl">');
    expect(body).toContain(ar.widget.joinHeading);
    expect(body).toContain(ar.pages.skipToContent);
    expect(body).toMatch(/src="\/static\/widget\.ar\.js/);
    expect(body).toContain('نوفمبر');
    expect(body).not.toContain(fr.pages.signIn);
    const german = await page('/articles/german-thread');
    expect(german).toContain('<html lang="de" dir="ltr">');
    expect(german).toContain(de.widget.joinHeading);
    expect(german).toContain('10. November 2026');
    // The Inline Feedbacks page of the Arabic article is Arabic too.
    expect(await page('/articles/arabic-thread/inline')).toContain(`<title>${ar.widget.inline} | `);
  });

  it('keeps each request in its own language when they run at the same time', async () => {
    const urls = Array.from({ length: 12 }, (_, i) => ['/articles/arabic-thread', '/articles/plain-thread', '/articles/german-thread'][i % 3]!);
    const bodies = await Promise.all(urls.map(page));
    bodies.forEach((b, i) => {
      const lang = urls[i]!.startsWith('/articles/arabic') ? 'ar' : urls[i]!.startsWith('/articles/german') ? 'de' : 'fr';
      expect(b).toContain(`<html lang="${lang}"`);
      expect(b).toContain(messagesFor(lang).pages.footer);
    });
    // A page about no article speaks LOCALE after all of them.
    expect(await page('/signin')).toContain(`<html lang="fr"`);
  });

  it('writes mails about an article in its language, and keeps API error codes', async () => {
    const id = (await p.store.articles.bySlug('arabic-thread'))!.id;
    const res = await p.app.inject({ method: 'POST', url: `/api/v1/articles/${id}/follow-by-email`, payload: { email: 'reader@example.com' } });
    expect(res.statusCode).toBe(202);
    await p.worker.runOnce();
    const mail = p.mails.sent.find((m) => m.to === 'reader@example.com')!;
    expect(mail.subject).toBe(ar.notify.confirmSubject('A test article for subscribers'));
    expect(mail.text).toContain('طلب أحدهم');
    // Errors keep their stable code; the message is in LOCALE.
    const missing = json(await p.app.inject({ method: 'GET', url: '/api/v1/articles/999999/comments' }));
    expect(missing.error).toEqual({ code: 'article_not_found', message: fr.errors.article_not_found });
  });

  it("embeds a discussion in the host page's language (data-parley-lang), else in LOCALE", async () => {
    const frame = (extra: Record<string, string>) =>
      p.app.inject({
        method: 'GET',
        url: `/embed/frame?${new URLSearchParams({ article: 'host-42', url: 'https://publisher.example/a', title: 'On the host', ...extra })}`,
        headers: { 'sec-fetch-dest': 'iframe', 'sec-fetch-site': 'cross-site' },
      });
    const arabic = (await frame({ lang: 'ar' })).body;
    expect(arabic).toContain('<html lang="ar" dir="rtl"');
    expect(arabic).toMatch(/src="\/static\/widget\.ar\.js/);
    expect(arabic).toContain(ar.embed.frameHeading('On the host'));
    const plain = (await frame({})).body;
    expect(plain).toContain('<html lang="fr" dir="ltr"');
    expect(plain).toContain(fr.widget.joinHeading);
    expect((await frame({ lang: 'xx' })).statusCode).toBe(400);
  });

  it('refuses a language Parley does not ship, naming the file and the field', () => {
    const src = readFileSync('tests/fixtures/content/open-thread.md', 'utf8').replace('comments: subscribers', 'comments: subscribers\nlang: xx');
    expect(() => parseArticle('odd-thread.md', src)).toThrow(/odd-thread\.md: front matter lang/);
    expect(parseArticle('ok-thread.md', src.replace('lang: xx', 'lang: pt')).lang).toBe('pt');
  });
});
