import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites open real databases and browsers; two cores run two at a time.
    maxWorkers: 2,
    minWorkers: 1,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
