import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 7: the layering rules of docs/architecture.md, checked on the source text.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Imports that load code at run time (not `import type`), resolved to files or package names. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)) {
    const target = match[1]!;
    found.push(target.startsWith('.') ? resolve(dirname(file), target.replace(/\.js$/, '.ts')) : target);
  }
  return found;
}

describe('architecture (issue 7)', () => {
  it('admin/ imports nothing from http/', () => {
    const offenders = sourceFiles(join(SRC, 'admin')).filter((file) =>
      /from '\.\.\/http\//.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('the CLI loads neither http/ nor Fastify for admin commands (server.ts is imported lazily)', () => {
    const seen = new Set<string>();
    const pending = [join(SRC, 'cli.ts')];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const target of runtimeImports(file))
        if (target.startsWith('/')) pending.push(target);
        else seen.add(target);
    }
    const loaded = [...seen].map((path) => (path.startsWith('/') ? relative(SRC, path) : path));
    expect(loaded.filter((path) => path.startsWith('http/') || path === 'fastify' || path === 'server.ts')).toEqual([]);
  });

  it('no route calls a repository directly', () => {
    const offenders = sourceFiles(join(SRC, 'http/routes')).filter((file) =>
      /ctx\.repos\.[a-zA-Z]*\.[a-zA-Z]*\(/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('protocol/ is pure: no Fastify, no Kysely, no database driver, no process.env', () => {
    const offenders = sourceFiles(join(SRC, 'protocol')).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /from '(fastify|kysely|pg|better-sqlite3)'|process\.env|from '\.\.\/(\.\.\/)?(http|store|keys)\//.test(
        text,
      );
    });
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });
});
