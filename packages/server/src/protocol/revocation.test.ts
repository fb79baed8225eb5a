import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidRequest } from './errors.js';
import type { Client } from './model.js';
import type { RefreshFamilySelector, RefreshTokenRecord } from './ports.js';
import { revokeToken } from './revocation.js';
import {
  acmeClient,
  ACME_USER_REALM,
  createRevokedTokenStore,
  createTestClock,
  OTHER_CLIENT_ID,
  refreshTokenRecord,
  rejection,
  SHORT_REFRESH_POLICY,
  T0,
} from './testing/fakes.js';
import type { TokenInspectionDeps } from './token-inspection.js';

const CLIENT: Client = acmeClient({ refreshTokens: SHORT_REFRESH_POLICY });
const OTHER_CLIENT: Client = { ...CLIENT, clientId: OTHER_CLIENT_ID };

const ACCESS_TOKEN = 'access.token.jwt';
const CLAIMS: JWTPayload = {
  iss: ACME_USER_REALM.issuer,
  sub: 'user-1',
  client_id: CLIENT.clientId,
  jti: 'jti-1',
  iat: T0,
  exp: T0 + 900,
};
const REFRESH_TOKEN = 'opaque-refresh-token';
const RECORD: RefreshTokenRecord = refreshTokenRecord(REFRESH_TOKEN);

function revocation(record: RefreshTokenRecord = RECORD) {
  const revokedTokens = createRevokedTokenStore();
  const familyRevocations: { selector: RefreshFamilySelector; now: number }[] = [];
  const deps: TokenInspectionDeps = {
    verifyJwt: async (_tenantId, token) => (token === ACCESS_TOKEN ? CLAIMS : undefined),
    revokedTokens,
    refreshTokens: {
      insert: async () => expect.unreachable('revocation never inserts'),
      rotate: async () => expect.unreachable('revocation never rotates'),
      findByHash: async (tokenHash) => (tokenHash === record.tokenHash ? record : undefined),
      revokeFamilies: async (selector, now) => {
        familyRevocations.push({ selector, now });
        return 1;
      },
    },
    clock: createTestClock(T0 + 30),
  };
  return { deps, revokedJtis: revokedTokens.entries, familyRevocations };
}

async function expectRefused(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(InvalidRequest);
  expect(error).toMatchObject({
    error: 'invalid_request',
    status: 400,
    message: 'the token was not issued to this client',
  });
}

describe('revokeToken (RFC 7009)', () => {
  it('revokes the whole family of a refresh token', async () => {
    const { deps, familyRevocations, revokedJtis } = revocation();
    await revokeToken(deps, ACME_USER_REALM, CLIENT, REFRESH_TOKEN, 'refresh_token');
    expect(familyRevocations).toEqual([{ selector: { familyId: 'family-1' }, now: T0 + 30 }]);
    expect(revokedJtis.size).toBe(0);
  });

  it('revokes the family of a refresh token sent without a hint or with the wrong hint', async () => {
    for (const hint of [undefined, 'access_token']) {
      const { deps, familyRevocations } = revocation();
      await revokeToken(deps, ACME_USER_REALM, CLIENT, REFRESH_TOKEN, hint);
      expect(familyRevocations).toEqual([{ selector: { familyId: 'family-1' }, now: T0 + 30 }]);
    }
  });

  it('revokes the family of an already rotated refresh token (a client revoking a stale copy)', async () => {
    const { deps, familyRevocations } = revocation({ ...RECORD, rotatedAt: T0 + 10 });
    await revokeToken(deps, ACME_USER_REALM, CLIENT, REFRESH_TOKEN, undefined);
    expect(familyRevocations).toEqual([{ selector: { familyId: 'family-1' }, now: T0 + 30 }]);
  });

  it('deny-lists an access token by its jti until it expires', async () => {
    const { deps, revokedJtis, familyRevocations } = revocation();
    await revokeToken(deps, ACME_USER_REALM, CLIENT, ACCESS_TOKEN, 'access_token');
    expect([...revokedJtis]).toEqual([['jti-1', { realmId: ACME_USER_REALM.id, expiresAt: T0 + 900 }]]);
    expect(familyRevocations).toEqual([]);
  });

  it("refuses another client's refresh token with invalid_request and revokes nothing", async () => {
    const { deps, familyRevocations, revokedJtis } = revocation();
    await expectRefused(revokeToken(deps, ACME_USER_REALM, OTHER_CLIENT, REFRESH_TOKEN, 'refresh_token'));
    expect(familyRevocations).toEqual([]);
    expect(revokedJtis.size).toBe(0);
  });

  it("refuses another client's access token with invalid_request and revokes nothing", async () => {
    const { deps, familyRevocations, revokedJtis } = revocation();
    await expectRefused(revokeToken(deps, ACME_USER_REALM, OTHER_CLIENT, ACCESS_TOKEN, undefined));
    expect(revokedJtis.size).toBe(0);
    expect(familyRevocations).toEqual([]);
  });

  it('answers an unknown token without error and revokes nothing (RFC 7009 §2.2)', async () => {
    const { deps, familyRevocations, revokedJtis } = revocation();
    await expect(revokeToken(deps, ACME_USER_REALM, CLIENT, 'never-issued', undefined)).resolves.toBeUndefined();
    await expect(
      revokeToken(deps, ACME_USER_REALM, CLIENT, 'never.issued.jwt', 'access_token'),
    ).resolves.toBeUndefined();
    expect(familyRevocations).toEqual([]);
    expect(revokedJtis.size).toBe(0);
  });

  it('answers an access token revoked before without error, and leaves its entry as it was', async () => {
    const { deps, revokedJtis } = revocation();
    await revokeToken(deps, ACME_USER_REALM, CLIENT, ACCESS_TOKEN, undefined);
    await revokeToken(deps, ACME_USER_REALM, CLIENT, ACCESS_TOKEN, undefined);
    expect([...revokedJtis]).toEqual([['jti-1', { realmId: ACME_USER_REALM.id, expiresAt: T0 + 900 }]]);
  });

  it('treats a refresh token of another realm of the tenant as unknown', async () => {
    const { deps, familyRevocations } = revocation();
    await revokeToken(deps, { ...ACME_USER_REALM, id: 'ACME-C', actor: 'customer' }, CLIENT, REFRESH_TOKEN, undefined);
    expect(familyRevocations).toEqual([]);
  });
});
