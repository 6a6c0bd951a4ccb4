import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import type { Store } from '../../src/store/store.js';
import { useStore } from './fixture.js';

describe.each(DIALECTS)('settings repository on %s', (dialect) => {
  const f = useStore(dialect);

  it('keeps the first value offered at start-up, whichever node offers it, and overwrites on put', async () => {
    const { settings } = f.store;
    const offered = await Promise.all(['one', 'two', 'three'].map((v) => settings.getOrInit('shared', v)));
    expect(new Set(offered).size).toBe(1);
    expect(await settings.get('shared')).toBe(offered[0]);
    await settings.put('shared', 'changed');
    expect(await settings.getOrInit('shared', 'again')).toBe('changed');
    expect(await settings.get('missing')).toBeNull();
  });

  it('only reads a setting once it is stored, so a reader never waits on a write (or fails on a full disk)', async () => {
    const { store } = f;
    await store.settings.getOrInit('stored', 'first');
    const readOnly = <T>(fn: (tx: Store) => Promise<T>): Promise<T> =>
      store.transaction(async (tx) => {
        // Both refuse any write from here to the end of the transaction.
        await (dialect === 'postgres' ? sql`set transaction read only` : sql`pragma query_only = 1`).execute(tx.db);
        try {
          return await fn(tx);
        } finally {
          if (dialect === 'sqlite') await sql`pragma query_only = 0`.execute(tx.db);
        }
      });
    expect(await readOnly((tx) => tx.settings.getOrInit('stored', 'second'))).toBe('first');
    await expect(readOnly((tx) => tx.settings.getOrInit('not-yet', 'value'))).rejects.toThrow();
    expect(await store.settings.getOrInit('not-yet', 'value')).toBe('value');
  });
});
