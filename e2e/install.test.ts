import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` warns EBADENGINE for every locked package whose `engines.node` excludes the running
 * Node (issue 10: cookie@2.0.2 wanted Node 22). The lockfile records each package's engines, so
 * the check needs no install: every package must accept the oldest supported Node and this one.
 */

const ROOT = new URL('..', import.meta.url);
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', ROOT), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const manifest = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { engines: { node: string } };

describe('installing on the supported Node versions', () => {
  it('states the supported Node versions in package.json', () => {
    expect(manifest.engines.node).toBe('>=20.19');
  });

  for (const node of ['20.19.0', process.versions.node]) {
    it(`locks no package whose engines exclude Node ${node}`, () => {
      const excluded = Object.entries(lock.packages)
        .filter(([path, entry]) => {
          const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
          return path !== '' && range !== undefined && !semver.satisfies(node, range, { includePrerelease: true });
        })
        .map(([path, entry]) => `${path}@${entry.version}`);
      expect(excluded).toEqual([]);
    });
  }
});
