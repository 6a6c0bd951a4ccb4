import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
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
});
