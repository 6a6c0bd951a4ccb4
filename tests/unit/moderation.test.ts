import { describe, expect, it } from 'vitest';
import { bannedWordsIn, DEFAULT_MODERATION, effectiveModeration, foldText, isAdmin, isModerator, normaliseWordList } from '../../src/domain/moderation.js';
import type { User } from '../../src/domain/types.js';
import { containsLink } from '../../src/services/posting/rules/links.js';

const user = (over: Partial<User>): User => ({
  id: 1,
  email: 'a@x.org',
  displayName: 'A',
  role: 'reader',
  createdAt: new Date(),
  suspendedUntil: null,
  banned: false,
  ...over,
});

describe('moderation rules', () => {
  it('folds case, accents and compatibility forms', () => {
    expect(foldText('Ｃａｆé ÅNGSTRÖM ﬁne')).toBe('cafe angstrom fine');
    expect(foldText('İstanbul')).toBe('istanbul');
  });

  it('matches banned words and phrases as whole words only', () => {
    const list = normaliseWordList(['Crétin', 'go home', 'ass', '', '  ', 'ASS']);
    expect(list).toEqual(['cretin', 'go home', 'ass']);
    expect(bannedWordsIn('You CRETIN.', list)).toEqual(['cretin']);
    expect(bannedWordsIn('crétins everywhere', list)).toEqual([]);
    expect(bannedWordsIn('a class act, I assume', list)).toEqual([]);
    expect(bannedWordsIn('Kiss my ass!', list)).toEqual(['ass']);
    expect(bannedWordsIn('Go\nhome, go — home', list)).toEqual(['go home']);
    expect(bannedWordsIn('gohome', list)).toEqual([]);
    expect(bannedWordsIn('anything', [])).toEqual([]);
  });

  it('finds links the way a reader would see them', () => {
    for (const t of ['see https://x.org', 'cheap-pills.com now', '[x](https://y.org)', '<http://z.org>', 'www.example.net', 'mail me at a@b.org'])
      expect(containsLink(t), t).toBe(true);
    for (const t of ['no links here.', 'e.g. this', 'version 1.2.3', 'node.js rocks', 'U.S.A.']) expect(containsLink(t), t).toBe(false);
  });

  it('lets an article override the site, field by field', () => {
    const site = { ...DEFAULT_MODERATION, premoderateLinks: true, bannedWords: ['x'] };
    expect(effectiveModeration(site, { premoderateAll: true })).toEqual({ ...site, premoderateAll: true });
    expect(effectiveModeration(site, { premoderateLinks: false })).toEqual({ ...site, premoderateLinks: false });
    expect(effectiveModeration(site, null)).toEqual(site);
  });

  it('knows who moderates: staff that are not banned', () => {
    expect(isModerator(user({ role: 'moderator' }), new Date())).toBe(true);
    expect(isModerator(user({ role: 'admin' }), new Date())).toBe(true);
    expect(isModerator(user({ role: 'reader' }), new Date())).toBe(false);
    expect(isModerator(user({ role: 'admin', banned: true }), new Date())).toBe(false);
    expect(isAdmin(user({ role: 'moderator' }), new Date())).toBe(false);
    expect(isAdmin(user({ role: 'admin' }), new Date())).toBe(true);
  });
});
