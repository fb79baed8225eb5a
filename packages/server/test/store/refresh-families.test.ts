import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefreshFamilySelector, RefreshTokenRecord } from '../../src/protocol/ports.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createRepositories, type Repositories } from '../../src/store/repositories.js';
import { openTestDatabase, testDialects } from '../support/harness.js';

/**
 * Migration 0007 indexes a refresh family's session, code and person + client on its FIRST
 * token only (a rotation writes three B-trees instead of six). Whatever selects the families to
 * revoke or delete must still reach every token of them, the rotated ones included.
 */
const TENANT = 'T1';
const REALM = 'T1-U';
const NOW = 1_800_000_000;
const CLIENT = '6f1c2a9e-0000-4000-8000-000000000001';
const OTHER_CLIENT = '6f1c2a9e-0000-4000-8000-000000000002';

function token(family: string, n: number, fields: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash: `${family}-hash-${n}`.padEnd(64, '0'),
    familyId: family,
    realmId: REALM,
    tenantId: TENANT,
    clientId: CLIENT,
    userId: 'user-1',
    sessionId: `${family}-session`,
    codeHash: `${family}-code`,
    scopes: ['openid'],
    authTime: NOW,
    familyCreatedAt: NOW,
    familyExpiresAt: NOW + 86_400,
    idleExpiresAt: NOW + 3600,
    // The family's first token is created with it; every rotation comes later.
    createdAt: NOW + n * 10,
    rotatedAt: null,
    revokedAt: null,
    accessTokenJti: `${family}-jti-${n}`,
    accessTokenExpiresAt: NOW + 10_000,
    successorSealed: null,
    ...fields,
  };
}

for (const dialect of testDialects('refresh families found through their first token')) {
  describe(`refresh families found through their first token on ${dialect}`, () => {
    let database: DatabaseHandle;
    let cleanup: () => Promise<void>;
    let repos: Repositories;

    beforeEach(async () => {
      ({ database, cleanup } = await openTestDatabase(dialect));
      repos = createRepositories(database.db);
    });
    afterEach(async () => {
      await cleanup();
    });

    /** A family rotated three times: tokens 0 (first), 1, 2 rotated; 3 live. */
    async function rotatedFamily(family: string, fields: Partial<RefreshTokenRecord> = {}): Promise<void> {
      await repos.refreshTokens.insert(token(family, 0, fields));
      for (let n = 1; n <= 3; n++) {
        const rotated = await repos.refreshTokens.rotate(
          token(family, n - 1).tokenHash,
          NOW + n * 10,
          null,
          token(family, n, fields),
        );
        expect(rotated).toBe(true);
      }
    }

    async function liveTokens(family: string): Promise<number> {
      let live = 0;
      for (let n = 0; n <= 3; n++) {
        const record = await repos.refreshTokens.findByHash(token(family, n).tokenHash);
        if (record && record.revokedAt === null && record.rotatedAt === null) live++;
      }
      return live;
    }

    const selectors: Array<[string, (family: string) => RefreshFamilySelector]> = [
      ['its session', (family) => ({ sessionId: `${family}-session` })],
      ['its code', (family) => ({ codeHash: `${family}-code` })],
      ['its person and client', () => ({ userId: 'user-1', clientId: CLIENT })],
    ];

    for (const [what, selector] of selectors) {
      it(`revoking by ${what} revokes the latest (rotated-to) token and deny-lists its access token`, async () => {
        await rotatedFamily('fam-a');
        await rotatedFamily('fam-b', { clientId: OTHER_CLIENT, userId: 'user-2' });
        expect(await liveTokens('fam-a')).toBe(1);
        expect(await repos.refreshTokens.revokeFamilies(selector('fam-a'), NOW + 100)).toBe(1);
        expect(await liveTokens('fam-a')).toBe(0);
        expect(await repos.revokedTokens.isAccessTokenRevoked('fam-a-jti-3')).toBe(true);
        // The other family (another session, code, person and client) is untouched.
        expect(await liveTokens('fam-b')).toBe(1);
        expect(await repos.revokedTokens.isAccessTokenRevoked('fam-b-jti-3')).toBe(false);
      });
    }

    it('revokes overlapping sets of families at the same moment without a deadlock (person, person + client, session, family)', async () => {
      // Each revocation changes several rows; run at once (PostgreSQL: on several pooled
      // connections) they take their row locks at the same time, over the same families.
      for (let round = 0; round < 10; round++) {
        const families = Array.from({ length: 8 }, (_, i) => `r${round}-f${i}`);
        for (const family of families) await rotatedFamily(family);
        const revocations: RefreshFamilySelector[] = [
          { userId: 'user-1' },
          { userId: 'user-1', clientId: CLIENT },
          ...families.flatMap((family) => [{ familyId: family }, { sessionId: `${family}-session` }]),
        ].sort(() => Math.random() - 0.5);
        await Promise.all(revocations.map((selector) => repos.refreshTokens.revokeFamilies(selector, NOW + 100)));
        for (const family of families) expect(await liveTokens(family)).toBe(0);
      }
    });

    it('revoking every family of a person reaches all of them', async () => {
      await rotatedFamily('fam-a');
      await rotatedFamily('fam-c', { clientId: OTHER_CLIENT });
      expect(await repos.refreshTokens.revokeFamilies({ userId: 'user-1' }, NOW + 100)).toBe(2);
      expect(await liveTokens('fam-a')).toBe(0);
      expect(await liveTokens('fam-c')).toBe(0);
    });

    it('deleting a person removes every token of their families and deny-lists the live access tokens', async () => {
      await repos.tenants.insert({ id: TENANT, name: 'T one', apiDomain: 'https://api.t1.test' }, NOW);
      await repos.users.insert(
        {
          id: 'user-1',
          tenantId: TENANT,
          actor: 'user',
          username: 'sam',
          email: null,
          passwordHash: 'x',
          disabled: false,
          passwordChangedAt: NOW,
        },
        NOW,
      );
      await rotatedFamily('fam-a');
      await rotatedFamily('fam-b', { userId: 'user-2' });
      await repos.users.delete(TENANT, 'user-1', NOW + 100);
      const left = await database.db.selectFrom('refresh_tokens').select('family_id').distinct().execute();
      expect(left).toEqual([{ family_id: 'fam-b' }]);
      expect(await repos.revokedTokens.isAccessTokenRevoked('fam-a-jti-3')).toBe(true);
    });

    if (dialect === 'sqlite') {
      it('SQLite finds the families to revoke through the partial index', async () => {
        await rotatedFamily('fam-a');
        const plan = await database.hot.all<{ detail: string }>(
          'EXPLAIN QUERY PLAN SELECT DISTINCT family_id FROM refresh_tokens WHERE session_id = ? AND created_at = family_created_at',
          ['fam-a-session'],
        );
        expect(plan.map((row) => row.detail).join(' ')).toContain('refresh_families_session_idx');
      });
    }
  });
}
