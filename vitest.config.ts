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
    // Servers started by tests (and the CLI processes they spawn) open no metrics listener, so
    // suites running in parallel never compete for the default management port 9464.
    env: { GATEHOUSE_METRICS_PORT: '0' },
    reporters: [
      'default',
      ['json', { outputFile: 'test-results/vitest.json' }],
      './scripts/skipped-suites-reporter.ts',
    ],
  },
});
