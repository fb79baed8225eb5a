import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthorizationCodeRecord } from '../../src/protocol/ports.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/store/database.js';
import { createRepositories } from '../../src/store/repositories.js';
import { WriteError } from '../../src/store/sqlite/writer.js';
import { openTestDatabase, testDialects } from '../support/harness.js';

const NOW = 1_800_000_000;
const hash = () => randomBytes(32).toString('hex');

function code(codeHash: string): Omit<AuthorizationCodeRecord, 'consumedAt' | 'accessTokenJti'> {
  return {
    codeHash,
    realmId: 'T-U',
    tenantId: 'T',
    clientId: 'c',
    userId: 'u',
    sessionId: null,
    redirectUri: 'https://app.test/cb',
    scopes: ['openid'],
    codeChallenge: 'x',
    nonce: null,
    authTime: NOW,
    expiresAt: NOW + 60,
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A migrated SQLite database file whose writes go through the writer thread. */
async function openFile(path?: string): Promise<{ database: DatabaseHandle; path: string }> {
  let file = path;
  if (!file) {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-group-commit-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    file = join(dir, 'gatehouse.sqlite');
  }
  const database = openDatabase(file);
  cleanups.push(() => database.close());
  await migrateToLatest(database.db);
  return { database, path: file };
}

describe('group commit on a SQLite file (writer thread)', () => {
  it('200 concurrent writers each get their own result, and every acknowledged write is stored', async () => {
    const { database } = await openFile();
    const repos = createRepositories(database.db);
    const hashes = Array.from({ length: 200 }, hash);
    await Promise.all(hashes.map((h) => repos.codes.insert(code(h))));
    // Half of them are redeemed twice at once: exactly one of each pair wins.
    const results = await Promise.all(
      hashes.slice(0, 100).flatMap((h) => [repos.codes.consume(h, NOW, `a${h}`), repos.codes.consume(h, NOW, `b${h}`)]),
    );
    for (let i = 0; i < 100; i++) expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
    for (const h of hashes.slice(0, 100)) expect((await repos.codes.findByHash(h))?.consumedAt).toBe(NOW);
    for (const h of hashes.slice(100)) expect((await repos.codes.findByHash(h))?.consumedAt).toBeNull();
  });

  it('a failing operation is rejected alone; its batch mates commit', async () => {
    const { database } = await openFile();
    const repos = createRepositories(database.db);
    const taken = hash();
    await repos.codes.insert(code(taken));
    const fresh = Array.from({ length: 20 }, hash);
    const outcomes = await Promise.allSettled([
      ...fresh.slice(0, 10).map((h) => repos.codes.insert(code(h))),
      repos.codes.insert(code(taken)),
      ...fresh.slice(10).map((h) => repos.codes.insert(code(h))),
    ]);
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const reason = (rejected[0] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(WriteError);
    expect((reason as WriteError).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    for (const h of fresh) expect(await repos.codes.findByHash(h)).toBeDefined();
  });

  it('reports every write operation in the commit batches of the metrics hook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-group-commit-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sizes: number[] = [];
    const commits: string[] = [];
    const database = openDatabase(join(dir, 'gatehouse.sqlite'), {
      onCommitBatch: (size) => sizes.push(size),
      onQuery: (sql) => commits.push(sql),
    });
    cleanups.push(() => database.close());
    await migrateToLatest(database.db);
    const repos = createRepositories(database.db);
    await Promise.all(Array.from({ length: 50 }, () => repos.codes.insert(code(hash()))));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(50);
    expect(commits.filter((sql) => sql === 'COMMIT')).toHaveLength(sizes.length);
  });

  it('a write made through the thread is visible at once to a read on the main connection', async () => {
    const { database } = await openFile();
    const repos = createRepositories(database.db);
    for (let i = 0; i < 20; i++) {
      const h = hash();
      await repos.codes.insert(code(h));
      expect(await repos.codes.findByHash(h)).toMatchObject({ codeHash: h, consumedAt: null });
    }
  });

  it('three instances on one file: of 30 parallel redemptions of one code exactly one succeeds', async () => {
    const first = await openFile();
    const others = [await openFile(first.path), await openFile(first.path)];
    const instances = [first, ...others].map(({ database }) => createRepositories(database.db));
    const h = hash();
    await instances[0]!.codes.insert(code(h));
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => instances[i % 3]!.codes.consume(h, NOW, `jti-${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('kill -9 under load loses no acknowledged code or exchange', async () => {
    const { path } = await openFile();
    const require = createRequire(import.meta.url);
    const child = spawn(
      process.execPath,
      [require.resolve('vite-node/vite-node.mjs'), join(import.meta.dirname, 'support/acknowledged-writes.ts'), path],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const acknowledged: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`exited ${code}`))));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        acknowledged.push(...lines.filter((line) => line.startsWith('code ') || line.startsWith('exchange ')));
        if (acknowledged.length >= 600 && !child.killed) child.kill('SIGKILL');
      });
    });
    const { database } = await openFile(path);
    const repos = createRepositories(database.db);
    expect(acknowledged.filter((line) => line.startsWith('exchange ')).length).toBeGreaterThan(0);
    for (const line of acknowledged) {
      const [kind, codeHash, tokenHash] = line.split(' ');
      const stored = await repos.codes.findByHash(codeHash!);
      expect(stored, line).toBeDefined();
      if (kind === 'exchange') {
        expect(stored?.consumedAt, line).toBe(Math.floor(stored!.authTime));
        expect(await repos.refreshTokens.findByHash(tokenHash!), line).toMatchObject({ codeHash });
      }
    }
  });
});

for (const dialect of testDialects('group commit')) {
  describe(`write operations on ${dialect}`, () => {
    it('three instances: of 30 parallel redemptions of one code exactly one succeeds', async () => {
      const { database, cleanup } = await openTestDatabase(dialect);
      cleanups.push(cleanup);
      const repos = createRepositories(database.db);
      const h = hash();
      await repos.codes.insert(code(h));
      // On PostgreSQL each instance is a pool of its own; in-memory SQLite has one connection.
      const instances =
        dialect === 'postgres' ? [repos, ...(await extraPostgresInstances(database, 2))] : [repos, repos, repos];
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => instances[i % 3]!.codes.consume(h, NOW, `jti-${i}`)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('inside a Kysely transaction the operations run in it, and roll back with it', async () => {
      const { database, cleanup } = await openTestDatabase(dialect);
      cleanups.push(cleanup);
      const repos = createRepositories(database.db);
      const h = hash();
      await expect(
        database.db.transaction().execute(async (trx) => {
          const inside = createRepositories(trx);
          await inside.codes.insert(code(h));
          expect(await inside.codes.consume(h, NOW, 'jti')).toBe(true);
          expect(await inside.codes.findByHash(h)).toMatchObject({ consumedAt: NOW });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await repos.codes.findByHash(h)).toBeUndefined();
      await database.db.transaction().execute(async (trx) => {
        await createRepositories(trx).codes.insert(code(h));
      });
      expect(await repos.codes.findByHash(h)).toMatchObject({ codeHash: h });
    });
  });
}

async function extraPostgresInstances(database: DatabaseHandle, count: number) {
  const url = process.env.GATEHOUSE_TEST_POSTGRES_URL!;
  const { rows } = await database.hot
    .all<{ schema: string }>('SELECT current_schema() AS schema', [])
    .then((r) => ({ rows: r }));
  return Array.from({ length: count }, () => {
    const other = openDatabase(url, { schema: rows[0]!.schema, poolSize: 10 });
    cleanups.push(() => other.close());
    return createRepositories(other.db);
  });
}
