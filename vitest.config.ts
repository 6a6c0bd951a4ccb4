import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    setupFiles: ['tests/support/cleanup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites open real databases and browsers; two cores run two at a time.
    maxWorkers: 2,
    minWorkers: 1,
    // Browser tests poll for what a busy two-core machine may show a few seconds late.
    expect: { poll: { timeout: 5000 } },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
