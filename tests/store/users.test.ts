import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('users repository on %s', (dialect) => {
  const f = useStore(dialect);

  it('finds users by email case-insensitively and creates each once under concurrency', async () => {
    expect((await f.store.users.byEmail('ALICE@example.com'))?.id).toBe(f.alice);
    const many = await Promise.all(Array.from({ length: 8 }, () => f.store.users.ensure('race@example.com', 'Race', now)));
    expect(new Set(many.map((u) => u.id)).size).toBe(1);
  });

  it('spends a sign-in token once, and never after it expires', async () => {
    const { users } = f.store;
    await users.createLoginToken('h1', 'a@b.c', '/', now, new Date(now.getTime() + 60_000));
    const results = await Promise.all([users.consumeLoginToken('h1', now), users.consumeLoginToken('h1', now)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await users.createLoginToken('h2', 'a@b.c', '/', now, new Date(now.getTime() + 60_000));
    expect(await users.consumeLoginToken('h2', new Date(now.getTime() + 120_000))).toBeNull();
  });

  it('sessions expire', async () => {
    await f.store.users.createSession('sh', f.alice, 'csrf', now, new Date(now.getTime() + 1000));
    expect((await f.store.users.sessionByHash('sh', now))?.user.id).toBe(f.alice);
    expect(await f.store.users.sessionByHash('sh', new Date(now.getTime() + 2000))).toBeNull();
  });
});
