import type { Reporter } from 'vitest/reporters';
import { chromiumMissing } from '../e2e/support/chromium-path.js';

/**
 * Ends every test run with one plain line saying which suites did not run here and why, so a
 * green run without PostgreSQL or without a browser cannot pass for a full one (issue 10).
 */
export default class SkippedSuitesReporter implements Reporter {
  private line: string | undefined;

  onTestRunEnd(): void {
    // Other reporters finish writing asynchronously (the JSON report's notice); at exit this line
    // comes after all of them. Writes to a pipe or terminal are synchronous on Linux.
    if (this.line === undefined) process.once('exit', () => process.stdout.write(`${this.line}\n`));
    this.line = skippedSuitesLine();
  }
}

export function skippedSuitesLine(env: NodeJS.ProcessEnv = process.env): string {
  const missing: string[] = [];
  if (!env.GATEHOUSE_TEST_POSTGRES_URL)
    missing.push('the PostgreSQL variants of the storage and HTTP suites (GATEHOUSE_TEST_POSTGRES_URL is unset)');
  const browser = chromiumMissing();
  if (browser) missing.push(`the Chromium suites in e2e/ could not run (${browser})`);
  return missing.length === 0
    ? 'Suites not run: none (GATEHOUSE_TEST_POSTGRES_URL is set and Chromium was found).'
    : `Suites not run: ${missing.join('; ')}.`;
}
