import { existsSync } from 'node:fs';

/** Debian's Chromium unless GATEHOUSE_CHROMIUM (or the usual CHROME_PATH) names another browser. */
export function chromiumPath(): string {
  return process.env.GATEHOUSE_CHROMIUM || process.env.CHROME_PATH || '/usr/bin/chromium';
}

/** Why the browser suites cannot run here, or undefined when the browser is present. */
export function chromiumMissing(): string | undefined {
  const path = chromiumPath();
  if (existsSync(path)) return undefined;
  return `no browser at ${path} (install Debian's chromium, or set GATEHOUSE_CHROMIUM or CHROME_PATH)`;
}
