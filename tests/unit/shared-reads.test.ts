import { describe, expect, it } from 'vitest';
import { SharedReads } from '../../src/services/shared-reads.js';

/** A store whose reads the test ends by hand, each answering the version it began at. */
function slowStore() {
  let version = 0;
  const pending: { resolve: (v: number) => void; reject: (e: unknown) => void; began: number }[] = [];
  const reads = new SharedReads<string, number>(
    () =>
      new Promise<number>((resolve, reject) => {
        pending.push({ resolve, reject, began: version });
      }),
  );
  return {
    reads,
    pending,
    write: () => ++version,
    finish: async (err?: unknown) => {
      const r = pending.shift()!;
      if (err) r.reject(err);
      else r.resolve(r.began);
      // Lets the continuations (and the next read's start) run.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

describe('SharedReads', () => {
  it('answers callers who ask during a read with one next read, begun after they asked', async () => {
    const s = slowStore();
    const first = s.reads.get('a');
    s.write();
    const asked = s.write();
    const joiners = [s.reads.get('a'), s.reads.get('a'), s.reads.get('a')];
    expect(s.pending).toHaveLength(1);
    await s.finish();
    expect(await first).toBe(0);
    // The next read began after the joiners asked: it sees both writes.
    expect(s.pending).toHaveLength(1);
    await s.finish();
    expect(await Promise.all(joiners)).toEqual([asked, asked, asked]);
  });

  it('keeps keys apart and keeps nothing once no read is in flight', async () => {
    const s = slowStore();
    const a = s.reads.get('a');
    const b = s.reads.get('b');
    expect(s.pending).toHaveLength(2);
    await s.finish();
    await s.finish();
    await Promise.all([a, b]);
    // Nothing in flight: a new caller starts a read at once.
    s.write();
    const again = s.reads.get('a');
    expect(s.pending).toHaveLength(1);
    await s.finish();
    expect(await again).toBe(1);
  });

  it("passes a failed read's error to those who shared it, and reads afresh for the next caller", async () => {
    const s = slowStore();
    const first = s.reads.get('a');
    const joiner = s.reads.get('a');
    await s.finish(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    expect(s.pending).toHaveLength(1);
    await s.finish(new Error('still down'));
    await expect(joiner).rejects.toThrow('still down');
    const later = s.reads.get('a');
    expect(s.pending).toHaveLength(1);
    await s.finish();
    expect(await later).toBe(0);
  });
});
