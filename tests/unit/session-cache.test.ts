import { describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { SessionCache, type KnownSession } from '../../src/services/session-cache.js';
import { AccountWrites, HeldAccountWrites, type AccountChange } from '../../src/store/account-writes.js';

const at = (s: number) => new Date(Date.parse('2026-11-20T12:00:00Z') + s * 1000);
const user = (id: number): User => ({
  id,
  email: `u${id}@example.com`,
  displayName: `U${id}`,
  role: 'reader',
  createdAt: at(-86400),
  suspendedUntil: null,
  banned: false,
});
const session = (userId: number, expiresIn = 3600): KnownSession => ({
  user: user(userId),
  csrfToken: `csrf${userId}`,
  expiresAt: at(expiresIn),
  entitlements: [],
});

/** Keeps `s` under `hash` as a read that nothing overtook. */
const kept = (cache: SessionCache, hash: string, s: KnownSession, now = at(0)) => cache.keep(hash, s, cache.mark(), now);

describe('the session cache', () => {
  it('trusts a session for its time to live, and no longer', () => {
    const cache = new SessionCache(5000);
    const s = session(1);
    kept(cache, 'h1', s);
    expect(cache.get('h1', at(4.999))).toBe(s);
    expect(cache.get('h1', at(5))).toBeUndefined();
    expect(cache.get('h2', at(0))).toBeUndefined();
  });

  it('never outlives the session itself', () => {
    const cache = new SessionCache(60_000);
    kept(cache, 'h1', session(1, 2));
    expect(cache.get('h1', at(1))).toBeDefined();
    expect(cache.get('h1', at(2))).toBeUndefined();
  });

  it('keeps nothing with no time to live', () => {
    const cache = new SessionCache(0);
    kept(cache, 'h1', session(1));
    expect(cache.get('h1', at(0))).toBeUndefined();
  });

  it("forgets a signed-out session, and every session of a user who changed, and no one else's", () => {
    const cache = new SessionCache(5000);
    kept(cache, 'a1', session(1));
    kept(cache, 'a2', session(1));
    kept(cache, 'b1', session(2));
    cache.forget({ sessionHash: 'a1' });
    expect(cache.get('a1', at(0))).toBeUndefined();
    expect(cache.get('a2', at(0))).toBeDefined();
    cache.forget({ userId: 1 });
    expect(cache.get('a2', at(0))).toBeUndefined();
    expect(cache.get('b1', at(0))?.user.id).toBe(2);
  });

  it('does not keep a read that a change overtook: it may hold the state from before the change', () => {
    const cache = new SessionCache(5000);
    const mark = cache.mark();
    // The database answered with the old state, and the change was told before the answer arrived.
    cache.forget({ userId: 1 });
    cache.keep('h1', session(1), mark, at(0));
    expect(cache.get('h1', at(0))).toBeUndefined();
  });

  it('holds at most its bound, dropping the oldest', () => {
    const cache = new SessionCache(5000, 2);
    kept(cache, 'h1', session(1));
    kept(cache, 'h2', session(2));
    kept(cache, 'h3', session(3));
    expect(cache.size).toBe(2);
    expect(cache.get('h1', at(0))).toBeUndefined();
    expect(cache.get('h3', at(0))).toBeDefined();
  });
});

describe("a transaction's account writes", () => {
  it('are told once it commits, not as they are made', () => {
    const node = new AccountWrites();
    const told: AccountChange[] = [];
    node.listen((c) => told.push(c));
    const tx = new HeldAccountWrites();
    tx.wrote({ userId: 7 });
    tx.wrote({ sessionHash: 'h' });
    expect(told).toEqual([]);
    tx.release(node);
    expect(told).toEqual([{ userId: 7 }, { sessionHash: 'h' }]);
    tx.release(node);
    expect(told).toHaveLength(2);
  });
});
