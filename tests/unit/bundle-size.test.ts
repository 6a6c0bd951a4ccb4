import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LOCALES, widgetScript } from '../../src/messages/locales.js';
import { messagesFor } from '../../src/messages/locales/index.js';

/** The README promises this budget; `npm test` builds the bundles before running the tests. */
const BUDGET = 15 * 1024;
const DIR = 'dist/public';

const gz = (file: string) => gzipSync(readFileSync(join(DIR, file)), { level: 9 }).length;

/** A module and every chunk it imports statically: what the browser must fetch before it runs. */
function eager(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(DIR, file), 'utf8');
  for (const m of code.matchAll(/(?:import|from)\s*"(\.\/[^"]+\.js)"/g)) eager(join(dirname(file), m[1]!), seen);
  return seen;
}

describe('browser JavaScript budget', () => {
  // Each language has its own widget bundle (scripts/build-web.mjs); a reader downloads one.
  for (const lang of LOCALES) {
    it(`keeps embed.js plus everything the ${lang} widget needs to start under 15 KB gzipped`, () => {
      const start = [...eager(widgetScript(lang))];
      expect(start.length).toBeGreaterThan(1);
      const total = gz('embed.js') + gz('embed-frame.js') + start.reduce((n, f) => n + gz(f), 0);
      console.log(`initial JS (${lang}): ${total} bytes gzipped (${start.join(', ')}, embed.js, embed-frame.js)`);
      expect(total).toBeLessThanOrEqual(BUDGET);
      expect(gz('embed.js')).toBeLessThan(2048);
    });
  }

  it("a language's bundle carries its own strings and no other language's", () => {
    const code = (lang: string) => [...eager(widgetScript(lang))].map((f) => readFileSync(join(DIR, f), 'utf8')).join('\n');
    for (const lang of LOCALES) {
      const own = code(lang);
      for (const other of LOCALES) {
        const marker = messagesFor(other).widget.joinHeading;
        expect(own.includes(marker), `${widgetScript(lang)} and "${marker}" (${other})`).toBe(other === lang);
      }
    }
  });
});
