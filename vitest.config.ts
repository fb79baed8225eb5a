import { defineConfig } from 'vitest/config';

// One runner for the whole monorepo. Unit and HTTP tests sit next to the code (src/**/*.test.ts);
// storage tests run against every configured dialect; e2e/ drives real processes in Chromium.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
