import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/database.js';
import { purgeExpired } from '../../src/store/housekeeping.js';
import { storedAttemptKey } from '../../src/store/login-failures.repository.js';
import { createRepositories, type Repositories } from '../../src/store/repositories.js';
import { openTestDatabase, testDialects } from '../support/harness.js';

const TENANT = 'T1';
const NOW = 1_800_000_000;

for (const dialect of testDialects('repository tests')) {
  describe(`repositories on ${dialect}`, () => {
    let database: DatabaseHandle;
    let cleanup: () => Promise<void>;
    let repos: Repositories;
    beforeEach(async () => {
      ({ database, cleanup } = await openTestDatabase(dialect));
      repos = createRepositories(database.db);
      await repos.tenants.insert({ id: TENANT, name: 'T one', apiDomain: 'https://api.t1.test' }, NOW);
    });
    afterEach(async () => {
      await cleanup();
    });

    it('migrating again is a no-op', async () => {
      await migrateToLatest(database.db);
      expect(await repos.tenants.findById(TENANT)).toEqual({
        id: TENANT,
        name: 'T one',
        apiDomain: 'https://api.t1.test',
      });
    });

    it('stores tenants and their scope catalogue', async () => {
      await repos.tenants.insertScope(TENANT, { name: 'b.read', description: 'Read B' }, NOW);
      await repos.tenants.insertScope(TENANT, { name: 'a.read', description: 'Read A' }, NOW);
      expect(await repos.tenants.listScopes(TENANT)).toEqual([
        { name: 'a.read', description: 'Read A' },
        { name: 'b.read', description: 'Read B' },
      ]);
      await expect(repos.tenants.insertScope(TENANT, { name: 'a.read', description: 'again' }, NOW)).rejects.toThrow();
    });

    it('round-trips a client with its redirect URIs and scopes', async () => {
      const client = {
        clientId: '6f1c2a9e-0000-4000-8000-000000000001',
        tenantId: TENANT,
        name: 'App',
        platform: 'spa' as const,
        resourceType: 'global' as const,
        redirectUris: ['https://app.test/cb', 'http://localhost:3000/cb'],
        scopes: ['a.read'],
        consentMode: 'required' as const,
        secretHash: null,
        postLogoutRedirectUris: ['https://app.test/'],
        refreshTokens: { enabled: true, absoluteTtlSeconds: 1000, idleTtlSeconds: 100, graceSeconds: 5 },
        idTokenSigningAlg: 'ES256' as const,
        disabled: false,
      };
      await repos.clients.insert(client, NOW);
      expect(await repos.clients.findById(client.clientId)).toEqual(client);
      expect(await repos.clients.listByTenant(TENANT)).toEqual([client]);
      expect(await repos.clients.findById('6f1c2a9e-0000-4000-8000-000000000002')).toBeUndefined();
      await repos.clients.setDisabled(client.clientId, true);
      expect(await repos.clients.findById(client.clientId)).toEqual({ ...client, disabled: true });
    });

    it('keeps usernames unique per tenant and actor, not across actors', async () => {
      const user = {
        id: 'u1',
        tenantId: TENANT,
        actor: 'user' as const,
        username: 'sam',
        email: null,
        passwordHash: 'h',
        disabled: false,
        passwordChangedAt: NOW,
      };
      await repos.users.insert(user, NOW);
      await repos.users.insert({ ...user, id: 'u2', actor: 'customer' }, NOW);
      await expect(repos.users.insert({ ...user, id: 'u3' }, NOW)).rejects.toThrow();
      expect(await repos.users.findByUsername(TENANT, 'user', 'sam')).toEqual(user);
      expect((await repos.users.findByUsername(TENANT, 'customer', 'sam'))?.id).toBe('u2');
      expect(await repos.users.findById(TENANT, 'u1')).toEqual(user);
      expect(await repos.users.findById('OTHER', 'u1')).toBeUndefined();
    });

    it('finds sessions only while they are live and only in their realm', async () => {
      await repos.sessions.insert(
        'h1',
        { realmId: 'T1-U', tenantId: TENANT, userId: 'u1', authTime: NOW, expiresAt: NOW + 100 },
        NOW,
      );
      expect(await repos.sessions.findActive('h1', 'T1-U', NOW + 99)).toEqual({
        id: 'h1',
        realmId: 'T1-U',
        userId: 'u1',
        authTime: NOW,
        expiresAt: NOW + 100,
      });
      expect(await repos.sessions.findActive('h1', 'T1-U', NOW + 100)).toBeUndefined();
      expect(await repos.sessions.findActive('h1', 'T1-C', NOW)).toBeUndefined();
      await repos.sessions.delete('h1');
      expect(await repos.sessions.findActive('h1', 'T1-U', NOW)).toBeUndefined();
    });

    it('completes a pending authorization exactly once, even concurrently', async () => {
      await repos.pendingAuthorizations.insert(
        {
          id: 'p1',
          realmId: 'T1-U',
          browserHash: 'b',
          csrfToken: 'c',
          clientId: 'client',
          redirectUri: 'https://app.test/cb',
          scopes: ['a.read', 'b.read'],
          state: 'xyz',
          codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          codeChallengeMethod: 'S256',
          nonce: undefined,
          userId: null,
          createdAt: NOW,
          expiresAt: NOW + 600,
        },
        TENANT,
      );
      await repos.pendingAuthorizations.attachUser('p1', 'u1');
      const open = await repos.pendingAuthorizations.findOpen('p1', 'T1-U', NOW);
      expect(open).toMatchObject({ userId: 'u1', scopes: ['a.read', 'b.read'], state: 'xyz', nonce: undefined });
      expect(await repos.pendingAuthorizations.findOpen('p1', 'T1-U', NOW + 600)).toBeUndefined();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => repos.pendingAuthorizations.complete('p1', NOW)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await repos.pendingAuthorizations.findOpen('p1', 'T1-U', NOW)).toBeUndefined();
    });

    it('merges consent grants and never narrows them', async () => {
      const grant = { tenantId: TENANT, realmId: 'T1-U', userId: 'u1', clientId: 'c1' };
      expect(await repos.consents.grantedScopes('u1', 'c1')).toEqual([]);
      await repos.consents.grant({ ...grant, scopes: ['a.read'] }, NOW);
      await repos.consents.grant({ ...grant, scopes: ['b.read', 'a.read'] }, NOW);
      expect((await repos.consents.grantedScopes('u1', 'c1')).sort()).toEqual(['a.read', 'b.read']);
      expect(await repos.consents.grantedScopes('u1', 'c2')).toEqual([]);
    });

    it('counts login failures in a window that restarts once it has passed', async () => {
      await repos.loginFailures.recordFailure('T1-U', 'sam', NOW, 300);
      await repos.loginFailures.recordFailure('T1-U', 'sam', NOW + 10, 300);
      expect(await repos.loginFailures.get('T1-U', 'sam')).toEqual({ failures: 2, windowStart: NOW });
      await repos.loginFailures.recordFailure('T1-U', 'sam', NOW + 300, 300);
      expect(await repos.loginFailures.get('T1-U', 'sam')).toEqual({ failures: 1, windowStart: NOW + 300 });
      await repos.loginFailures.clear('T1-U', 'sam');
      expect(await repos.loginFailures.get('T1-U', 'sam')).toBeUndefined();
    });

    it('reserves sign-in attempts atomically: 30 concurrent reservations under a limit of 5 let 5 through', async () => {
      const one = (at: number) => repos.loginFailures.reserve('T1-U', [{ key: 'user:sam', limit: 5 }], at, 300);
      const results = await Promise.all(Array.from({ length: 30 }, () => one(NOW)));
      expect(results.filter((r) => r.reserved)).toHaveLength(5);
      expect(results.filter((r) => !r.reserved && r.retryAfterSeconds === 300)).toHaveLength(25);
      expect(
        results
          .flatMap((r) => (r.reserved ? r.counts : []))
          .sort()
          .join(),
      ).toBe('1,2,3,4,5');
      await repos.loginFailures.settle('T1-U', 'nothing-to-clear', ['user:sam']);
      expect(await one(NOW + 10)).toEqual({ reserved: true, counts: [5] });
      expect(await one(NOW + 299)).toEqual({ reserved: false, retryAfterSeconds: 1 });
      expect(await one(NOW + 300)).toEqual({ reserved: true, counts: [1] });
    });

    it('reserves every counter of an attempt or none: a refused one leaves the others as they were', async () => {
      const plan = [
        { key: 'address:a', limit: 10 },
        { key: 'user:sam', limit: 2 },
        { key: 'realm', limit: 1_000 },
      ];
      await repos.loginFailures.recordFailure('T1-U', 'address:a', NOW - 400, 300);
      expect(await repos.loginFailures.reserve('T1-U', plan, NOW, 300)).toEqual({ reserved: true, counts: [1, 1, 1] });
      expect(await repos.loginFailures.reserve('T1-U', plan, NOW + 5, 300)).toEqual({
        reserved: true,
        counts: [2, 2, 2],
      });
      expect(await repos.loginFailures.reserve('T1-U', plan, NOW + 10, 300)).toEqual({
        reserved: false,
        retryAfterSeconds: 290,
      });
      expect(await repos.loginFailures.get('T1-U', 'address:a')).toEqual({ failures: 2, windowStart: NOW });
      expect(await repos.loginFailures.get('T1-U', 'realm')).toEqual({ failures: 2, windowStart: NOW });
      // 20 attempts at once from one address, each under its own username: the address's limit of
      // 10 lets exactly 10 through and the realm counts exactly those.
      await repos.loginFailures.clear('T1-U', 'address:a');
      await repos.loginFailures.clear('T1-U', 'realm');
      const spread = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          repos.loginFailures.reserve(
            'T1-U',
            [
              { key: 'address:a', limit: 10 },
              { key: `user:u${i}`, limit: 5 },
              { key: 'realm', limit: 1_000 },
            ],
            NOW + 20,
            300,
          ),
        ),
      );
      expect(spread.filter((r) => r.reserved)).toHaveLength(10);
      expect(await repos.loginFailures.get('T1-U', 'realm')).toEqual({ failures: 10, windowStart: NOW + 20 });
    });

    it('settles a successful sign-in: clears one counter and gives one attempt back under the others', async () => {
      const plan = ['address:a', 'user-address:a:sam', 'user:sam', 'realm'].map((key) => ({ key, limit: 10 }));
      await repos.loginFailures.reserve('T1-U', plan, NOW, 300);
      await repos.loginFailures.reserve('T1-U', plan, NOW + 1, 300);
      await repos.loginFailures.settle('T1-U', 'user-address:a:sam', ['address:a', 'user:sam', 'realm']);
      expect(await repos.loginFailures.get('T1-U', 'user-address:a:sam')).toBeUndefined();
      for (const key of ['address:a', 'user:sam', 'realm'])
        expect(await repos.loginFailures.get('T1-U', key)).toEqual({ failures: 1, windowStart: NOW });
    });

    it('settles concurrent sign-ins from one address without a deadlock (reserve and settle share counters)', async () => {
      // Each sign-in reserves address, address+username, username and realm, then settles: the
      // address and realm counters are shared by all of them, so their row locks meet.
      const signIn = async (user: number) => {
        const keys = { address: 'address:a', both: `user-address:a:u${user}`, user: `user:u${user}`, realm: 'realm' };
        const plan = [keys.address, keys.both, keys.user, keys.realm].map((key) => ({ key, limit: 1000 }));
        const reservation = await repos.loginFailures.reserve('T1-U', plan, NOW, 300);
        expect(reservation.reserved).toBe(true);
        await repos.loginFailures.settle('T1-U', keys.both, [keys.address, keys.user, keys.realm]);
      };
      for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 16 }, (_, i) => signIn(i)));
      for (const key of ['address:a', 'realm', 'user:u3'])
        expect(await repos.loginFailures.get('T1-U', key)).toEqual({ failures: 0, windowStart: NOW });
      expect(await repos.loginFailures.get('T1-U', 'user-address:a:u3')).toBeUndefined();
    });

    it('stores any key, however long or strange, as its hash (issue 12: NUL bytes, 10 kB usernames)', async () => {
      const key = `user:${'x'.repeat(10_000)}\u0000`;
      await repos.loginFailures.recordFailure('T1-U', key, NOW, 300);
      expect(await repos.loginFailures.get('T1-U', key)).toEqual({ failures: 1, windowStart: NOW });
    });

    if (dialect === 'postgres')
      it('purges stale sign-in counters without waiting for one a sign-in holds locked', async () => {
        await repos.loginFailures.recordFailure('T1-U', 'address:held', NOW - 400, 300);
        await repos.loginFailures.recordFailure('T1-U', 'address:free', NOW - 400, 300);
        const counts = await database.db.transaction().execute(async (trx) => {
          // A sign-in's reservation, mid-transaction, holding the 'held' counter's row lock.
          await trx
            .updateTable('login_failures')
            .set({ failures: 1 })
            .where('realm_id', '=', 'T1-U')
            .where('window_start', '<', NOW - 300)
            .where('failures', '=', 1)
            .where('username_key', '=', storedAttemptKey('address:held'))
            .execute();
          const purged = purgeExpired(database.db, NOW + 1, 300);
          const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5000));
          return Promise.race([purged, waited]);
        });
        expect(counts).not.toBe('waited');
        expect((counts as Record<string, number>).login_failures).toBe(1);
        expect(await repos.loginFailures.get('T1-U', 'address:free')).toBeUndefined();
        expect(await repos.loginFailures.get('T1-U', 'address:held')).toEqual({ failures: 1, windowStart: NOW - 400 });
      });

    if (dialect === 'postgres')
      it("migrates a second schema in the same database on its own (Kysely must not find the first one's tables)", async () => {
        const other = await openTestDatabase('postgres');
        try {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(
            other.database.db,
          );
          expect(rows[0]!.n).toBeGreaterThan(0);
        } finally {
          await other.cleanup();
        }
      });

    it('records revoked access tokens idempotently', async () => {
      await repos.revokedTokens.revokeAccessToken('j1', 'T1-U', NOW + 900);
      await repos.revokedTokens.revokeAccessToken('j1', 'T1-U', NOW + 900);
      expect(await repos.revokedTokens.isAccessTokenRevoked('j1')).toBe(true);
      expect(await repos.revokedTokens.isAccessTokenRevoked('j2')).toBe(false);
    });

    it('rotates signing keys: one active key, retired keys published until they retire', async () => {
      const key = (kid: string, createdAt: number) => ({
        kid,
        tenantId: TENANT,
        alg: 'ES256',
        publicJwk: { kid },
        privateJwk: { kid, d: 'secret' },
        createdAt,
      });
      await repos.signingKeys.rotate(key('k1', NOW), NOW);
      await repos.signingKeys.rotate(key('k2', NOW + 1), NOW + 100);
      expect((await repos.signingKeys.findActive(TENANT))?.kid).toBe('k2');
      expect((await repos.signingKeys.listPublished(TENANT, NOW + 99)).map((k) => k.kid)).toEqual(['k2', 'k1']);
      expect((await repos.signingKeys.listPublished(TENANT, NOW + 100)).map((k) => k.kid)).toEqual(['k2']);
    });

    it('housekeeping deletes only what has expired', async () => {
      const base = {
        realmId: 'T1-U',
        tenantId: TENANT,
        clientId: 'c',
        userId: 'u',
        sessionId: null,
        redirectUri: 'https://app.test/cb',
        scopes: ['a'],
        codeChallenge: 'x',
        nonce: null,
        authTime: NOW,
      };
      await repos.codes.insert({ ...base, codeHash: 'old', expiresAt: NOW });
      await repos.codes.insert({ ...base, codeHash: 'new', expiresAt: NOW + 60 });
      await repos.sessions.insert(
        's-old',
        { realmId: 'T1-U', tenantId: TENANT, userId: 'u', authTime: NOW, expiresAt: NOW },
        NOW,
      );
      await repos.revokedTokens.revokeAccessToken('j-old', 'T1-U', NOW);
      await repos.revokedTokens.revokeAccessToken('j-new', 'T1-U', NOW + 900);
      await repos.loginFailures.recordFailure('T1-U', 'sam', NOW - 400, 300);
      const counts = await purgeExpired(database.db, NOW + 1, 300);
      expect(counts).toEqual({
        authorization_codes: 1,
        pending_authorizations: 0,
        sessions: 1,
        refresh_tokens: 0,
        revoked_access_tokens: 1,
        login_failures: 1,
      });
      expect(await repos.codes.findByHash('old')).toBeUndefined();
      expect(await repos.codes.findByHash('new')).toBeDefined();
      expect(await repos.revokedTokens.isAccessTokenRevoked('j-new')).toBe(true);
    });
  });
}
