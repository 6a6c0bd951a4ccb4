import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import matter from 'gray-matter';
import type { Article } from '../domain/types.js';
import { LOCALES, type Locale } from '../messages/locales.js';
import type { ArticleInput, Store } from '../store/store.js';
import { reanchorArticle } from './anchors.js';
import { setArticleLocale } from './article-locales.js';
import type { Clock } from './clock.js';

const FrontMatter = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300 }),
  standfirst: Type.String({ maxLength: 1000, default: '' }),
  author: Type.String({ maxLength: 200, default: '' }),
  author_bio: Type.String({ maxLength: 2000, default: '' }),
  author_handle: Type.String({ maxLength: 100, default: '' }),
  /** The author's account: their comments under the article get an "Author" badge. */
  author_email: Type.Optional(Type.String({ maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' })),
  image: Type.Optional(Type.String({ maxLength: 2000 })),
  image_credit: Type.String({ maxLength: 500, default: '' }),
  published_at: Type.Union([Type.String({ minLength: 10 }), Type.Date()]),
  comments: Type.Union([Type.Literal('subscribers'), Type.Literal('members'), Type.Literal('closed')], { default: 'subscribers' }),
  url: Type.Optional(Type.String({ maxLength: 2000 })),
  /** The article's language (its page, widget and mails); LOCALE when absent. */
  lang: Type.Optional(Type.Union(LOCALES.map((l) => Type.Literal(l)))),
});

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Parses one article file; the error names the file and the field so an editor can fix it. */
export function parseArticle(file: string, source: string): ArticleInput & { authorEmail: string | null; lang: Locale | null } {
  const slug = basename(file, '.md');
  if (!SLUG.test(slug)) throw new Error(`${file}: the file name must be a slug (lower-case words joined by hyphens)`);
  const { data, content } = matter(source);
  const fm = Value.Default(FrontMatter, structuredClone(data));
  const err = Value.Errors(FrontMatter, fm).First();
  if (err) throw new Error(`${file}: front matter ${err.path.slice(1) || '(root)'}: ${err.message}`);
  const v = fm as typeof FrontMatter.static;
  const publishedAt = v.published_at instanceof Date ? v.published_at : new Date(v.published_at);
  if (Number.isNaN(publishedAt.getTime())) throw new Error(`${file}: front matter published_at is not a date`);
  return {
    slug,
    url: v.url ?? null,
    title: v.title,
    standfirst: v.standfirst,
    author: v.author,
    authorBio: v.author_bio,
    authorHandle: v.author_handle,
    image: v.image ?? null,
    imageCredit: v.image_credit,
    publishedAt,
    body: content.trim(),
    commentPolicy: v.comments,
    authorEmail: v.author_email ?? null,
    lang: v.lang ?? null,
  };
}

/** Loads every `*.md` of the content folder into the database; discussions are kept. */
export async function loadContent(dir: string, store: Pick<Store, 'articles' | 'comments' | 'users'>, clock: Clock): Promise<Article[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  const inputs = await Promise.all(files.map(async (f) => parseArticle(f, await readFile(join(dir, f), 'utf8'))));
  const out: Article[] = [];
  for (const { authorEmail, lang, ...a } of inputs) {
    const before = await store.articles.bySlug(a.slug);
    const article = await store.articles.upsert(a, clock.now());
    // The author gets an account under that address (as a sign-in would make), so the badge follows the account, not a name.
    const author = authorEmail
      ? ((await store.users.byEmail(authorEmail)) ?? (await store.users.ensure(authorEmail, a.author || authorEmail, clock.now())))
      : null;
    await store.articles.setAuthorUser(article.id, author?.id ?? null);
    setArticleLocale(store, article.id, lang);
    // Edited text moves passages: re-find each comment's words, or mark it orphaned.
    if (before && before.body !== article.body) await reanchorArticle(store, article);
    out.push(article);
  }
  return out;
}
