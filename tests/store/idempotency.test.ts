import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { now, useStore } from './fixture.js';

describe.each(DIALECTS)('idempotency repository on %s', (dialect) => {
  const f = useStore(dialect);
  const at = (ms: number) => new Date(now.getTime() + ms);

  it("answers a reader's key until it expires, replaces an expired one, and prunes old keys", async () => {
    const { idempotency } = f.store;
    const answer = { fingerprint: 'fp', status: 201, response: '{"ok":true}' };
    await idempotency.saveAnswer(f.alice, 'k', answer, now);
    expect(await idempotency.answer(f.alice, 'k', at(-1000))).toEqual(answer);
    expect(await idempotency.answer(f.bob, 'k', at(-1000))).toBeNull();
    expect(await idempotency.answer(f.alice, 'k', at(1000))).toBeNull();
    await idempotency.saveAnswer(f.alice, 'k', { ...answer, status: 200 }, at(5000));
    expect((await idempotency.answer(f.alice, 'k', at(1000)))?.status).toBe(200);
    await idempotency.saveAnswer(f.bob, 'old', answer, now);
    expect(await idempotency.prune(at(1000))).toBe(1);
    expect(await idempotency.answer(f.bob, 'old', at(-1000))).toBeNull();
  });

  it("takes an author's post lock inside a transaction", async () => {
    expect(await f.store.transaction((tx) => tx.idempotency.lockAuthorPosts(f.alice, 1000))).toBe(true);
  });
});
