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

  it.runIf(dialect === 'postgres')("takes a batch's free author locks at once and waits only for the others", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let taken!: () => void;
    const bobTaken = new Promise<void>((r) => (taken = r));
    // Another transaction holds Bob's lock until told to stop.
    const other = f.store.transaction(async (tx) => {
      await tx.idempotency.lockAuthorPosts(f.bob, 1000);
      taken();
      await held;
    });
    await bobTaken;
    try {
      // Waiting out Bob's lock leaves the transaction unusable (lockAuthorPosts), so it rolls back.
      await expect(
        f.store.transaction(async (tx) => {
          await tx.idempotency.tryLockAuthors([f.alice, f.bob, f.alice]);
          expect(await tx.idempotency.lockAuthorPosts(f.alice, 50)).toBe(true);
          expect(await tx.idempotency.lockAuthorPosts(f.bob, 50)).toBe(false);
        }),
      ).rejects.toThrow(/rolled back/);
      // While one transaction holds Alice's lock from tryLockAuthors, another cannot take it.
      await f.store.transaction(async (tx) => {
        await tx.idempotency.tryLockAuthors([f.alice]);
        await expect(f.store.transaction((t2) => t2.idempotency.lockAuthorPosts(f.alice, 50))).rejects.toThrow(/rolled back/);
      });
    } finally {
      release();
      await other;
    }
  });
});
