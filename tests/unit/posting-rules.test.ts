import { describe, expect, it } from 'vitest';
import { aComment } from '../support/comment.js';
import type { Config } from '../../src/config.js';
import type { Actor } from '../../src/domain/permissions.js';
import type { AppError } from '../../src/domain/errors.js';
import type { Article, Comment, User } from '../../src/domain/types.js';
import type { PostContext, PostingRule, PostVerdict } from '../../src/services/discussion.js';
import { editRules, postingRules } from '../../src/services/posting/index.js';
import type { PostingReads } from '../../src/services/posting/port.js';
import { bannedWords } from '../../src/services/posting/rules/bannedWords.js';
import { duplicate } from '../../src/services/posting/rules/duplicate.js';
import { links } from '../../src/services/posting/rules/links.js';
import { lockedThread } from '../../src/services/posting/rules/lockedThread.js';
import { newAccount } from '../../src/services/posting/rules/newAccount.js';
import { newAccountSlowdown } from '../../src/services/posting/rules/newAccountSlowdown.js';
import { premoderateAll } from '../../src/services/posting/rules/premoderateAll.js';
import { MODERATION_KEY, ModerationRules } from '../../src/services/posting/settings.js';

/*
 * Each posting rule against an in-memory PostingReads: the port is all a rule can see, so these
 * tests need no database. The real queries behind the port are tested in tests/store.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const user = (id: number, over: Partial<User> = {}): User => ({
  id,
  email: `u${id}@example.com`,
  displayName: `U${id}`,
  role: 'reader',
  createdAt: new Date(NOW.getTime() - 90 * 24 * HOUR),
  suspendedUntil: null,
  banned: false,
  ...over,
});
const actor = (u: User): Actor => ({ user: u, subscriber: true, subscriberUntil: null });

const ARTICLE: Article = {
  id: 7,
  slug: 'a',
  url: null,
  title: 'A',
  standfirst: '',
  author: '',
  authorBio: '',
  authorHandle: '',
  image: null,
  imageCredit: '',
  publishedAt: NOW,
  body: '',
  commentPolicy: 'subscribers',
  commentCount: 0,
};

let nextId = 1;
const comment = (over: Partial<Comment>): Comment =>
  aComment({
    id: nextId++,
    articleId: ARTICLE.id,
    authorName: 'U1',
    bodySrc: 'hello',
    bodyHtml: '<p>hello</p>',
    createdAt: new Date(NOW.getTime() - HOUR),
    ...over,
  });

/** The read port over plain arrays and maps, answering as the SQL behind it does. */
function fakePort(
  data: { comments?: Comment[]; settings?: Record<string, string>; articleRules?: Record<number, string> } = {},
): PostingReads & { writes: string[] } {
  const comments = data.comments ?? [];
  const settings = new Map(Object.entries(data.settings ?? {}));
  const articleRules = new Map(Object.entries(data.articleRules ?? {}).map(([k, v]) => [Number(k), v]));
  const writes: string[] = [];
  return {
    writes,
    comments: {
      byId: async (id) => comments.find((c) => c.id === id) ?? null,
      publishedCount: async (authorId, upTo) => Math.min(upTo, comments.filter((c) => c.authorId === authorId && c.status === 'visible').length),
      lastCommentAt: async (authorId) => {
        const times = comments.filter((c) => c.authorId === authorId).map((c) => c.createdAt.getTime());
        return times.length ? new Date(Math.max(...times)) : null;
      },
      recentDuplicate: async (authorId, bodySrc, since) =>
        comments.filter((c) => c.authorId === authorId && c.bodySrc === bodySrc && c.createdAt >= since).sort((a, b) => a.id - b.id)[0]?.id ?? null,
    },
    settings: { get: async (key) => settings.get(key) ?? null },
    moderation: { articleSettings: async (articleId) => articleRules.get(articleId) ?? null },
  };
}

/** ModerationRules over the same fake; its writes are only recorded, no rule may make one. */
function rulesOver(port: ReturnType<typeof fakePort>): ModerationRules {
  return new ModerationRules({
    ...port,
    settings: { ...port.settings, put: async (key) => void port.writes.push(`setting ${key}`) },
    moderation: {
      ...port.moderation,
      setArticleSettings: async (id) => void port.writes.push(`article ${id}`),
      rulesWithArticle: async (id, key) => ({
        site: await port.settings.get(key),
        own: await port.moderation.articleSettings(id),
        article: { version: '1:', commentCount: 0 },
      }),
    },
  });
}

const ctx = (store: PostingReads, over: Partial<PostContext> = {}): PostContext => ({
  actor: actor(user(1)),
  article: ARTICLE,
  parent: null,
  text: 'hello',
  now: NOW,
  store,
  ...over,
});

const run = (rule: PostingRule, c: PostContext): Promise<PostVerdict | null> => rule(c);
const refusal = (v: PostVerdict | null): AppError => {
  if (!v || !('refuse' in v)) throw new Error(`expected a refusal, got ${JSON.stringify(v)}`);
  return v.refuse;
};

const CONFIG = { DUPLICATE_WINDOW_MINUTES: 10, NEW_ACCOUNT_HOURS: 24, NEW_ACCOUNT_SLOWDOWN_SECONDS: 60 } as const;

describe('posting rules against a read-only port', () => {
  it('lockedThread refuses a reply in a locked thread, found through the root of a nested reply', async () => {
    const root = comment({ locked: true });
    const reply = comment({ parentId: root.id, rootId: root.id, depth: 1 });
    const open = comment({});
    const store = fakePort({ comments: [root, reply, open] });
    expect(await run(lockedThread(), ctx(store))).toBeNull();
    expect(refusal(await run(lockedThread(), ctx(store, { parent: root }))).code).toBe('thread_locked');
    expect(refusal(await run(lockedThread(), ctx(store, { parent: reply }))).code).toBe('thread_locked');
    expect(await run(lockedThread(), ctx(store, { parent: open }))).toBeNull();
  });

  it('newAccountSlowdown makes a new account wait between comments and says how long', async () => {
    const young = actor(user(1, { createdAt: new Date(NOW.getTime() - HOUR) }));
    const rule = newAccountSlowdown(CONFIG);
    expect(await run(rule, ctx(fakePort(), { actor: young }))).toBeNull();
    const justPosted = fakePort({ comments: [comment({ createdAt: new Date(NOW.getTime() - 15_000) })] });
    const err = refusal(await run(rule, ctx(justPosted, { actor: young })));
    expect([err.status, err.code, err.headers?.['retry-after']]).toEqual([429, 'slow_down', '45']);
    const longAgo = fakePort({ comments: [comment({ createdAt: new Date(NOW.getTime() - 2 * MINUTE) })] });
    expect(await run(rule, ctx(longAgo, { actor: young }))).toBeNull();
    expect(await run(rule, ctx(justPosted))).toBeNull(); // an established account
    expect(await run(newAccountSlowdown({ ...CONFIG, NEW_ACCOUNT_SLOWDOWN_SECONDS: 0 }), ctx(justPosted, { actor: young }))).toBeNull();
  });

  it('duplicate refuses the same words from the same author within the window, naming the first', async () => {
    const first = comment({ bodySrc: 'same words', createdAt: new Date(NOW.getTime() - 5 * MINUTE) });
    const old = comment({ bodySrc: 'old words', createdAt: new Date(NOW.getTime() - 11 * MINUTE) });
    const someoneElse = comment({ authorId: 2, bodySrc: 'their words' });
    const store = fakePort({ comments: [first, old, someoneElse] });
    const rule = duplicate(CONFIG);
    const err = refusal(await run(rule, ctx(store, { text: 'same words' })));
    expect([err.status, err.code, err.details]).toEqual([409, 'duplicate_comment', { commentId: first.id }]);
    expect(await run(rule, ctx(store, { text: 'old words' }))).toBeNull();
    expect(await run(rule, ctx(store, { text: 'their words' }))).toBeNull();
    expect(await run(duplicate({ DUPLICATE_WINDOW_MINUTES: 0 }), ctx(store, { text: 'same words' }))).toBeNull();
  });

  it('bannedWords holds a comment with a site-wide banned word, ignoring case and accents', async () => {
    const store = fakePort({ settings: { [MODERATION_KEY]: JSON.stringify({ bannedWords: ['crétin'] }) } });
    const rule = bannedWords(rulesOver(store));
    expect(await run(rule, ctx(store, { text: 'You CRETIN.' }))).toEqual({ hold: 'banned_words' });
    expect(await run(rule, ctx(store, { text: 'crétins everywhere' }))).toBeNull();
    expect(await run(rule, ctx(fakePort(), { text: 'You cretin.' }))).toBeNull();
  });

  it('links holds a comment with a link when the site says so, or the article overrides it', async () => {
    const site = fakePort({ settings: { [MODERATION_KEY]: JSON.stringify({ premoderateLinks: true }) } });
    expect(await run(links(rulesOver(site)), ctx(site, { text: 'see cheap-pills.com' }))).toEqual({ hold: 'links' });
    expect(await run(links(rulesOver(site)), ctx(site, { text: 'no link here' }))).toBeNull();
    const optedOut = fakePort({
      settings: { [MODERATION_KEY]: JSON.stringify({ premoderateLinks: true }) },
      articleRules: { [ARTICLE.id]: JSON.stringify({ premoderateLinks: false }) },
    });
    expect(await run(links(rulesOver(optedOut)), ctx(optedOut, { text: 'see cheap-pills.com' }))).toBeNull();
    expect(await run(links(rulesOver(fakePort())), ctx(fakePort(), { text: 'see cheap-pills.com' }))).toBeNull();
  });

  it('newAccount holds an author until they have N published comments', async () => {
    const settings = { [MODERATION_KEY]: JSON.stringify({ newAccountComments: 2 }) };
    const one = fakePort({ settings, comments: [comment({}), comment({ status: 'pending' }), comment({ status: 'rejected' })] });
    expect(await run(newAccount(rulesOver(one)), ctx(one))).toEqual({ hold: 'new_account' });
    const two = fakePort({ settings, comments: [comment({}), comment({})] });
    expect(await run(newAccount(rulesOver(two)), ctx(two))).toBeNull();
    expect(await run(newAccount(rulesOver(fakePort())), ctx(fakePort()))).toBeNull();
  });

  it('premoderateAll holds everything when the article says so, even if the site does not', async () => {
    const store = fakePort({ articleRules: { [ARTICLE.id]: JSON.stringify({ premoderateAll: true }) } });
    expect(await run(premoderateAll(rulesOver(store)), ctx(store))).toEqual({ hold: 'premoderate_all' });
    expect(await run(premoderateAll(rulesOver(store)), ctx(store, { article: { ...ARTICLE, id: 8 } }))).toBeNull();
  });

  it('the pipeline lets staff through, reads the rules once per post and writes nothing', async () => {
    const store = fakePort({ settings: { [MODERATION_KEY]: JSON.stringify({ premoderateAll: true, premoderateLinks: true, bannedWords: ['spam'] }) } });
    let reads = 0;
    const counted: PostingReads = { ...store, settings: { get: (key) => (reads++, store.settings.get(key)) } };
    const rules = rulesOver(store);
    const config = { ...CONFIG } as unknown as Config;
    const reader = ctx(counted, { text: 'spam at cheap-pills.com' });
    const verdicts = await Promise.all(postingRules(config, rules).map((r) => r(reader)));
    expect(verdicts.filter(Boolean)).toEqual([{ hold: 'banned_words' }, { hold: 'links' }, { hold: 'premoderate_all' }]);
    expect(reads).toBe(1);
    const moderator = ctx(counted, { text: 'spam at cheap-pills.com', actor: actor(user(2, { role: 'moderator' })) });
    expect((await Promise.all(postingRules(config, rules).map((r) => r(moderator)))).filter(Boolean)).toEqual([]);
    expect((await Promise.all(editRules(rules).map((r) => r(ctx(counted, { text: 'spam' }))))).filter(Boolean)).toEqual([{ hold: 'banned_words' }]);
    expect(store.writes).toEqual([]);
  });

  it('withArticle gives a post the same rules as forArticle, from one read', async () => {
    const store = fakePort({
      settings: { [MODERATION_KEY]: JSON.stringify({ premoderateLinks: true, bannedWords: ['spam'], newAccountComments: 'x' }) },
      articleRules: { [ARTICLE.id]: JSON.stringify({ premoderateAll: true, bannedWords: ['ignored'] }) },
    });
    const rules = rulesOver(store);
    const read = await rules.withArticle(ARTICLE.id);
    expect(read?.rules).toEqual(await rules.forArticle(ARTICLE.id));
    expect(read?.rules).toMatchObject({ premoderateAll: true, premoderateLinks: true, bannedWords: ['spam'] });
    expect((await rules.withArticle(8))?.rules).toEqual(await rules.forArticle(8));
  });
});
