import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { DIALECTS } from '../support/databases.js';
import { useStore } from './fixture.js';

/** The facade: migrations, and what `transaction` promises every repository bound to it. */
describe.each(DIALECTS)('store on %s', (dialect) => {
  const f = useStore(dialect);

  it('migrates a fresh database once', async () => {
    expect(f.migrated.slice(0, 3)).toEqual(['001_core', '002_events', '003_notifications']);
    expect(await migrate(f.conn)).toEqual([]);
  });

  it('binds every repository to the transaction, and a nested transaction joins the outer one', async () => {
    await expect(
      f.store.transaction(async (tx) => {
        await tx.users.setDisplayName(f.alice, 'Inside');
        await tx.transaction(async (inner) => {
          expect(inner).toBe(tx);
          await inner.settings.put('tx.test', 'written');
        });
        expect(await tx.settings.get('tx.test')).toBe('written');
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect((await f.store.users.byId(f.alice))!.displayName).toBe('Alice');
    expect(await f.store.settings.get('tx.test')).toBeNull();
  });

  it('runs a deadlock or serialisation victim again, and gives up on anything else at once', async () => {
    let calls = 0;
    const answer = await f.store.transaction(async (tx) => {
      calls++;
      await tx.settings.put('retry.test', String(calls));
      if (calls < 3) throw Object.assign(new Error('victim'), { code: calls === 1 ? '40P01' : '40001' });
      return 'done';
    });
    expect([answer, calls, await f.store.settings.get('retry.test')]).toEqual(['done', 3, '3']);
    calls = 0;
    await expect(
      f.store.transaction(async () => {
        calls++;
        throw Object.assign(new Error('other'), { code: '23505' });
      }),
    ).rejects.toThrow('other');
    expect(calls).toBe(1);
  });
});
