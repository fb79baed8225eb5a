import { defineConfig } from 'vitest/config';

// One runner for the whole monorepo. Unit and HTTP tests sit next to the code (src/**/*.test.ts)
// or in each package's test/; storage tests run against every configured dialect; e2e/ drives
// real processes in headless Chromium.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'e2e/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
