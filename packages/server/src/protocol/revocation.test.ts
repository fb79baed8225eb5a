import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidRequest } from './errors.js';
import type { Client, Realm } from './model.js';
import type { RefreshFamilySelector, RefreshTokenRecord } from './ports.js';
import { revokeToken } from './revocation.js';
import { hashOpaqueSecret } from './secrets.js';
import type { TokenInspectionDeps } from './token-inspection.js';

const T0 = 1_750_000_000;
const REALM: Realm = { id: 'ACME-U', tenantId: 'ACME', actor: 'user', issuer: 'https://auth.example.com/system/auth/ACME-U' };
const CLIENT: Client = {
  clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  tenantId: 'ACME',
  name: 'App',
  platform: 'spa',
  resourceType: 'global',
  redirectUris: ['https://app.example.com/cb'],
  scopes: ['core.read'],
  consentMode: 'required',
  secretHash: null,
  postLogoutRedirectUris: [],
  refreshTokens: { enabled: true, absoluteTtlSeconds: 3_600, idleTtlSeconds: 600, graceSeconds: 0 },
  disabled: false,
};
const OTHER_CLIENT: Client = { ...CLIENT, clientId: '0c7f4a51-2b3e-4d6f-8a9b-1c2d3e4f5a6b' };

const ACCESS_TOKEN = 'access.token.jwt';
const CLAIMS: JWTPayload = { iss: REALM.issuer, sub: 'user-1', client_id: CLIENT.clientId, jti: 'jti-1', iat: T0, exp: T0 + 900 };
const REFRESH_TOKEN = 'opaque-refresh-token';
const RECORD: RefreshTokenRecord = {
  tokenHash: hashOpaqueSecret(REFRESH_TOKEN),
  familyId: 'family-1',
  realmId: REALM.id,
  tenantId: 'ACME',
  clientId: CLIENT.clientId,
  userId: 'user-1',
  sessionId: 'session-1',
  codeHash: null,
  scopes: ['core.read'],
  authTime: T0 - 60,
  familyCreatedAt: T0,
  familyExpiresAt: T0 + 3_600,
  idleExpiresAt: T0 + 600,
  createdAt: T0,
  rotatedAt: null,
  revokedAt: null,
  accessTokenJti: 'jti-0',
  accessTokenExpiresAt: T0 + 900,
  successorSealed: null,
};

function revocation(record: RefreshTokenRecord = RECORD) {
  const revokedJtis = new Map<string, { realmId: string; expiresAt: number }>();
  const familyRevocations: { selector: RefreshFamilySelector; now: number }[] = [];
  const deps: TokenInspectionDeps = {
    verifyJwt: async (_tenantId, token) => (token === ACCESS_TOKEN ? CLAIMS : undefined),
    revokedTokens: {
      revokeAccessToken: async (jti, realmId, expiresAt) => void revokedJtis.set(jti, { realmId, expiresAt }),
      isAccessTokenRevoked: async (jti) => revokedJtis.has(jti),
    },
    refreshTokens: {
      insert: async () => expect.unreachable('revocation never inserts'),
      rotate: async () => expect.unreachable('revocation never rotates'),
      findByHash: async (tokenHash) => (tokenHash === record.tokenHash ? record : undefined),
      revokeFamilies: async (selector, now) => {
        familyRevocations.push({ selector, now });
        return 1;
      },
    },
    clock: { nowSeconds: () => T0 + 30 },
  };
  return { deps, revokedJtis, familyRevocations };
}

async function expectRefused(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => expect.unreachable('revocation should have been refused'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InvalidRequest);
  expect(error).toMatchObject({ error: 'invalid_request', status: 400, message: 'the token was not issued to this client' });
}

describe('revokeToken (RFC 7009)', () => {
  it('revokes the whole family of a refresh token', async () => {
    const { deps, familyRevocations, revokedJtis } = revocation();
    await revokeToken(deps, REALM, CLIENT, REFRESH_TOKEN, 'refresh_token');
    expect(familyRevocations).toEqual([{ selector: { familyId: 'family-1' }, now: T0 + 30 }]);
    expect(revokedJtis.size).toBe(0);
  });

  it('revokes the family of a refresh token sent without a hint or with the wrong hint', async () => {
    for (const hint of [undefined, 'access_token']) {
      const { deps, familyRevocations } = revocation();
      await revokeToken(deps, REALM, CLIENT, REFRESH_TOKEN, hint);
      expect(familyRevocations).toEqual([{ selector: { familyId: 'family-1' }, now: T0 + 30 }]);
    }
  });

  it('revokes the family of an already rotated refresh token (a client revoking a stale copy)', async () => {
    const { deps, familyRevocations } = revocation({ ...RECORD, rotatedAt: T0 + 10 });
    await revokeToken(deps, REALM, CLIENT, REFRESH_TOKEN, undefined);
    expect(familyRevocations).toEqual([{ selector: { familyId: 'family-1' }, now: T0 + 30 }]);
  });

  it('deny-lists an access token by its jti until it expires', async () => {
    const { deps, revokedJtis, familyRevocations } = revocation();
    await revokeToken(deps, REALM, CLIENT, ACCESS_TOKEN, 'access_token');
    expect([...revokedJtis]).toEqual([['jti-1', { realmId: REALM.id, expiresAt: T0 + 900 }]]);
    expect(familyRevocations).toEqual([]);
  });

  it('refuses another client\'s refresh token with invalid_request and revokes nothing', async () => {
    const { deps, familyRevocations, revokedJtis } = revocation();
    await expectRefused(revokeToken(deps, REALM, OTHER_CLIENT, REFRESH_TOKEN, 'refresh_token'));
    expect(familyRevocations).toEqual([]);
    expect(revokedJtis.size).toBe(0);
  });

  it('refuses another client\'s access token with invalid_request and revokes nothing', async () => {
    const { deps, familyRevocations, revokedJtis } = revocation();
    await expectRefused(revokeToken(deps, REALM, OTHER_CLIENT, ACCESS_TOKEN, undefined));
    expect(revokedJtis.size).toBe(0);
    expect(familyRevocations).toEqual([]);
  });

  it('answers an unknown token without error and revokes nothing (RFC 7009 §2.2)', async () => {
    const { deps, familyRevocations, revokedJtis } = revocation();
    await expect(revokeToken(deps, REALM, CLIENT, 'never-issued', undefined)).resolves.toBeUndefined();
    await expect(revokeToken(deps, REALM, CLIENT, 'never.issued.jwt', 'access_token')).resolves.toBeUndefined();
    expect(familyRevocations).toEqual([]);
    expect(revokedJtis.size).toBe(0);
  });

  it('answers an access token revoked before without error, and leaves its entry as it was', async () => {
    const { deps, revokedJtis } = revocation();
    await revokeToken(deps, REALM, CLIENT, ACCESS_TOKEN, undefined);
    await revokeToken(deps, REALM, CLIENT, ACCESS_TOKEN, undefined);
    expect([...revokedJtis]).toEqual([['jti-1', { realmId: REALM.id, expiresAt: T0 + 900 }]]);
  });

  it('treats a refresh token of another realm of the tenant as unknown', async () => {
    const { deps, familyRevocations } = revocation();
    await revokeToken(deps, { ...REALM, id: 'ACME-C', actor: 'customer' }, CLIENT, REFRESH_TOKEN, undefined);
    expect(familyRevocations).toEqual([]);
  });
});
