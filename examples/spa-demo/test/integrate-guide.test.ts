import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * docs/integrate-spa.md promises that its snippets are the demos' actual code: each TypeScript
 * block follows a "From [path](../path):" line and must appear in that file verbatim (issue 3).
 */

const ROOT = new URL('../../../', import.meta.url);
const guide = readFileSync(new URL('docs/integrate-spa.md', ROOT), 'utf8');
const snippets = [...guide.matchAll(/From \[([^\]]+)\]\(\.\.\/\1\):\n\n```ts\n([\s\S]*?)\n```/g)].map(
  ([, path, code]) => ({ path: path!, code: code! }),
);

describe('docs/integrate-spa.md', () => {
  it('quotes the demos’ code in every TypeScript block', () => {
    const blocks = guide.match(/```ts\n/g)?.length ?? 0;
    expect(snippets.length).toBe(blocks);
    expect(snippets.length).toBeGreaterThanOrEqual(8);
  });

  for (const [index, { path, code }] of snippets.entries()) {
    it(`snippet ${index + 1} is in ${path} word for word`, () => {
      expect(readFileSync(new URL(path, ROOT), 'utf8')).toContain(code);
    });
  }
});
