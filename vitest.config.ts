import { defineConfig } from 'vitest/config';

// One runner for the whole monorepo. Unit and HTTP tests sit next to the code (src/**/*.test.ts)
// or in each package's test/; storage tests run against every configured dialect; e2e/ drives
// real processes in headless Chromium.
const ALL_SUITES = [
  'packages/*/src/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'examples/*/test/**/*.test.ts',
  'e2e/**/*.test.ts',
];

// The server suites that touch the database through the test harness. When
// GATEHOUSE_TEST_POSTGRES_URL is set (CI sets it) they run a second time as the "postgres"
// project: the harness (packages/server/test/support/harness.ts, `testDialects` and
// `useTestServer`) reads GATEHOUSE_TEST_DIALECT, so every HTTP suite, present and future, runs on
// both databases without each file looping over dialects (issue 12, found 6).
const DATABASE_SUITES = [
  'packages/server/test/http/**/*.test.ts',
  'packages/server/test/store/**/*.test.ts',
  'packages/server/test/resilience/**/*.test.ts',
  'packages/server/test/admin.test.ts',
];

const shared = { testTimeout: 20_000, hookTimeout: 120_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    ...shared,
    include: ALL_SUITES,
    // Servers started by tests (and the CLI processes they spawn) open no metrics listener, so
    // suites running in parallel never compete for the default management port 9464.
    env: { GATEHOUSE_METRICS_PORT: '0' },
    reporters: [
      'default',
      ['json', { outputFile: 'test-results/vitest.json' }],
      './scripts/skipped-suites-reporter.ts',
    ],
    projects: process.env.GATEHOUSE_TEST_POSTGRES_URL
      ? [
          {
            test: {
              ...shared,
              name: 'sqlite',
              include: ALL_SUITES,
              env: { GATEHOUSE_METRICS_PORT: '0', GATEHOUSE_TEST_DIALECT: 'sqlite' },
            },
          },
          {
            test: {
              ...shared,
              name: 'postgres',
              include: DATABASE_SUITES,
              env: { GATEHOUSE_METRICS_PORT: '0', GATEHOUSE_TEST_DIALECT: 'postgres' },
            },
          },
        ]
      : undefined,
  },
});
