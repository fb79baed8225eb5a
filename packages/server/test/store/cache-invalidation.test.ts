import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyManager } from '../../src/keys/key-manager.js';
import {
  createPostgresSchema,
  dropPostgresSchema,
  migrateToLatest,
  openDatabase,
  type DatabaseHandle,
} from '../../src/store/database.js';
import { createRepositories } from '../../src/store/repositories.js';
import { POSTGRES_URL, TestClock } from '../support/harness.js';

/**
 * Issue 8: tenants, scopes, clients and signing keys are served from each instance's memory,
 * and a change made anywhere (another instance, another process, plain SQL) reaches every
 * instance within 1 s. On SQLite a read in the next event-loop turn sees it; on PostgreSQL the
 * NOTIFY brings it.
 */
const NOW = 1_800_000_000;
const CLIENT = {
  clientId: '6f1c2a9e-0000-4000-8000-000000000001',
  tenantId: 'T1',
  name: 'App',
  platform: 'spa' as const,
  resourceType: 'global' as const,
  redirectUris: ['https://app.test/cb'],
  scopes: ['a.read'],
  consentMode: 'required' as const,
  secretHash: null,
  postLogoutRedirectUris: [],
  refreshTokens: { enabled: true, absoluteTtlSeconds: 1000, idleTtlSeconds: 100, graceSeconds: 0 },
  disabled: false,
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function instance(database: DatabaseHandle) {
  const repos = createRepositories(database.db);
  const keys = new KeyManager(repos.signingKeys, new TestClock(NOW), {
    retiredKeyPublishSeconds: 3600,
    activeKeyCacheSeconds: 60,
    changes: database.changes,
  });
  return { repos, keys, db: database.db };
}

type Instance = ReturnType<typeof instance>;

/** Two instances over one database, each with its own connection(s) and caches. */
async function twoInstances(dialect: 'sqlite' | 'postgres'): Promise<{ a: Instance; b: Instance; url: string }> {
  let url: string;
  let options = {};
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cache-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    url = join(dir, 'gatehouse.sqlite');
  } else {
    url = POSTGRES_URL!;
    const schema = `gh_test_${randomBytes(6).toString('hex')}`;
    await createPostgresSchema(url, schema);
    cleanups.push(() => dropPostgresSchema(url, schema));
    options = { schema, poolSize: 5 };
  }
  const first = openDatabase(url, options);
  cleanups.push(() => first.close());
  await migrateToLatest(first.db);
  const second = openDatabase(url, options);
  cleanups.push(() => second.close());
  const a = instance(first);
  await a.repos.tenants.insert({ id: 'T1', name: 'T one', apiDomain: 'https://api.t1.test' }, NOW);
  await a.repos.clients.insert(CLIENT, NOW);
  return { a, b: instance(second), url };
}

const dialects: Array<'sqlite' | 'postgres'> = POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

for (const dialect of dialects) {
  /**
   * Within 1 s on both. SQLite: from the next event-loop turn (the counter is read once per
   * turn); PostgreSQL: once the notification arrived.
   */
  const seen = async (check: () => Promise<void>) => vi.waitFor(check, { timeout: 1000, interval: 20 });

  describe(`cached tables on ${dialect}: a change made elsewhere reaches this instance`, () => {
    it('a client disabled by another instance', async () => {
      const { a, b } = await twoInstances(dialect);
      expect(await a.repos.clients.findById(CLIENT.clientId)).toMatchObject({ disabled: false });
      await b.repos.clients.setDisabled(CLIENT.clientId, true);
      await seen(async () => expect(await a.repos.clients.findById(CLIENT.clientId)).toMatchObject({ disabled: true }));
    });

    it('a change made through this very instance is seen by its next read, without waiting', async () => {
      const { a } = await twoInstances(dialect);
      expect(await a.repos.clients.findById(CLIENT.clientId)).toMatchObject({ disabled: false });
      await a.repos.clients.setDisabled(CLIENT.clientId, true);
      expect(await a.repos.clients.findById(CLIENT.clientId)).toMatchObject({ disabled: true });
      await a.repos.tenants.update('T1', { name: 'T again' });
      expect(await a.repos.tenants.findById('T1')).toMatchObject({ name: 'T again' });
    });

    it('a tenant renamed and a scope added with plain SQL, as an operator would', async () => {
      const { a, b } = await twoInstances(dialect);
      expect(await a.repos.tenants.findById('T1')).toMatchObject({ name: 'T one' });
      expect(await a.repos.tenants.listScopes('T1')).toEqual([]);
      await sql`UPDATE tenants SET name = 'T renamed' WHERE id = 'T1'`.execute(b.db);
      await sql`INSERT INTO scopes (tenant_id, name, description, created_at) VALUES ('T1', 'a.read', 'Read A', 1)`.execute(
        b.db,
      );
      await seen(async () => {
        expect(await a.repos.tenants.findById('T1')).toMatchObject({ name: 'T renamed' });
        expect(await a.repos.tenants.listScopes('T1')).toEqual([{ name: 'a.read', description: 'Read A' }]);
      });
    });

    it("a tenant's branding changed by another instance, and with plain SQL (migration 0008)", async () => {
      const { a, b } = await twoInstances(dialect);
      expect(await a.repos.branding.find('T1')).toBeUndefined();
      await b.repos.branding.save('T1', { displayName: 'Acme', primaryColor: '#112233' }, NOW);
      await seen(async () =>
        expect(await a.repos.branding.find('T1')).toEqual({ displayName: 'Acme', primaryColor: '#112233' }),
      );
      await sql`DELETE FROM tenant_branding WHERE tenant_id = 'T1'`.execute(b.db);
      await seen(async () => expect(await a.repos.branding.find('T1')).toBeUndefined());
    });

    it('a key rotation on another instance: this one signs with the new key and publishes it', async () => {
      const { a, b } = await twoInstances(dialect);
      await a.keys.ensureKey('T1');
      const before = decodeProtectedHeader(await a.keys.signAccessToken('T1', { sub: 's' })).kid;
      const publishedBefore = (await a.keys.publishedKeys('T1')).keys.map((key) => key.kid);
      // A rotation replaces the key of every algorithm (ES256 and RS256, issue 12).
      const { kid, kids } = await b.keys.rotate('T1');
      expect(kid).not.toBe(before);
      await seen(async () => {
        expect(decodeProtectedHeader(await a.keys.signAccessToken('T1', { sub: 's' })).kid).toBe(kid);
        expect((await a.keys.publishedKeys('T1')).keys.map((key) => key.kid).sort()).toEqual(
          [...publishedBefore, kids.ES256, kids.RS256].sort(),
        );
      });
    });
  });
}

describe('cached tables on a SQLite file: a change made by another process', () => {
  it('a key rotated by another process is used by the next signature here', async () => {
    const { a, url } = await twoInstances('sqlite');
    await a.keys.ensureKey('T1');
    const before = decodeProtectedHeader(await a.keys.signAccessToken('T1', { sub: 's' })).kid;
    const require = createRequire(import.meta.url);
    const { stdout } = await promisify(execFile)(process.execPath, [
      require.resolve('vite-node/vite-node.mjs'),
      join(import.meta.dirname, 'support/rotate-key.ts'),
      url,
    ]);
    const kid = stdout.trim();
    expect(kid).not.toBe(before);
    expect(decodeProtectedHeader(await a.keys.signAccessToken('T1', { sub: 's' })).kid).toBe(kid);
  });
});
