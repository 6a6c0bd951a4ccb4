import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** The README promises this budget; `npm test` builds the bundles before running the tests. */
const BUDGET = 15 * 1024;

describe('browser JavaScript budget', () => {
  it('keeps embed.js plus the discussion widget under 15 KB gzipped', () => {
    const size = (f: string) => gzipSync(readFileSync(`dist/public/${f}`), { level: 9 }).length;
    const total = size('embed.js') + size('embed-frame.js') + size('widget.js');
    expect(total).toBeLessThanOrEqual(BUDGET);
    expect(size('embed.js')).toBeLessThan(2048);
  });
});
