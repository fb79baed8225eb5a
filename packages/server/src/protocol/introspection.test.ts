import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { introspectToken } from './introspection.js';
import type { Realm } from './model.js';
import type { RefreshTokenRecord } from './ports.js';
import { hashOpaqueSecret } from './secrets.js';
import type { TokenInspectionDeps } from './token-inspection.js';

const T0 = 1_750_000_000;
const REALM: Realm = { id: 'ACME-U', tenantId: 'ACME', actor: 'user', issuer: 'https://auth.example.com/system/auth/ACME-U' };
const CLIENT_ID = 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f';

const ACCESS_TOKEN = 'access.token.jwt';
/** RFC 9068 claims as the server signs them (see access-token.ts). */
const CLAIMS: JWTPayload = {
  iss: REALM.issuer,
  sub: 'user-1',
  aud: 'https://api.acme.example',
  client_id: CLIENT_ID,
  scope: 'openid core.read',
  iat: T0,
  exp: T0 + 900,
  jti: 'jti-1',
  auth_time: T0 - 60,
  tenant_id: 'ACME',
  actor: 'user',
};
const REFRESH_TOKEN = 'opaque-refresh-token';
const RECORD: RefreshTokenRecord = {
  tokenHash: hashOpaqueSecret(REFRESH_TOKEN),
  familyId: 'family-1',
  realmId: REALM.id,
  tenantId: 'ACME',
  clientId: CLIENT_ID,
  userId: 'user-1',
  sessionId: 'session-1',
  codeHash: null,
  scopes: ['openid', 'core.read'],
  authTime: T0 - 60,
  familyCreatedAt: T0 - 100,
  familyExpiresAt: T0 + 3_500,
  idleExpiresAt: T0 + 500,
  createdAt: T0 - 100,
  rotatedAt: null,
  revokedAt: null,
  accessTokenJti: 'jti-0',
  accessTokenExpiresAt: T0 + 800,
  successorSealed: null,
};

function introspection(options: { record?: RefreshTokenRecord; revokedJtis?: string[]; now?: number } = {}) {
  const record = options.record ?? RECORD;
  const deps: TokenInspectionDeps = {
    verifyJwt: async (_tenantId, token) => (token === ACCESS_TOKEN ? CLAIMS : undefined),
    revokedTokens: {
      revokeAccessToken: async () => expect.unreachable('introspection never revokes'),
      isAccessTokenRevoked: async (jti) => (options.revokedJtis ?? []).includes(jti),
    },
    refreshTokens: {
      insert: async () => expect.unreachable('introspection never writes'),
      rotate: async () => expect.unreachable('introspection never writes'),
      revokeFamilies: async () => expect.unreachable('introspection never revokes'),
      findByHash: async (tokenHash) => (tokenHash === record.tokenHash ? record : undefined),
    },
    clock: { nowSeconds: () => options.now ?? T0 },
  };
  return (token: string, hint?: string) => introspectToken(deps, REALM, token, hint);
}

describe('introspectToken (RFC 7662 §2.2)', () => {
  it('describes an active access token with its claims, and nothing else (no auth_time)', async () => {
    expect(await introspection()(ACCESS_TOKEN)).toEqual({
      active: true,
      token_type: 'Bearer',
      scope: 'openid core.read',
      client_id: CLIENT_ID,
      sub: 'user-1',
      aud: 'https://api.acme.example',
      iss: REALM.issuer,
      exp: T0 + 900,
      iat: T0,
      jti: 'jti-1',
      tenant_id: 'ACME',
      actor: 'user',
    });
  });

  it('describes a live refresh token, expiring at the earlier of its idle and absolute expiry', async () => {
    expect(await introspection()(REFRESH_TOKEN, 'refresh_token')).toEqual({
      active: true,
      token_type: 'refresh_token',
      scope: 'openid core.read',
      client_id: CLIENT_ID,
      sub: 'user-1',
      iss: REALM.issuer,
      exp: T0 + 500,
      iat: T0 - 100,
      tenant_id: 'ACME',
      actor: 'user',
    });
    expect((await introspection({ record: { ...RECORD, idleExpiresAt: T0 + 7_200 } })(REFRESH_TOKEN)).exp).toBe(T0 + 3_500);
  });

  it.each<[string, () => Promise<Record<string, unknown>>]>([
    ['a deny-listed access token', () => introspection({ revokedJtis: ['jti-1'] })(ACCESS_TOKEN)],
    ['an unknown token', () => introspection()('never-issued')],
    ['an unknown JWT-shaped token', () => introspection()('never.issued.jwt')],
    ['a rotated refresh token', () => introspection({ record: { ...RECORD, rotatedAt: T0 - 1 } })(REFRESH_TOKEN)],
    ['a revoked refresh token', () => introspection({ record: { ...RECORD, revokedAt: T0 - 1 } })(REFRESH_TOKEN)],
    ['a refresh token at its idle expiry', () => introspection({ now: T0 + 500 })(REFRESH_TOKEN)],
    ['a refresh token at its absolute expiry', () => introspection({ record: { ...RECORD, idleExpiresAt: T0 + 7_200 }, now: T0 + 3_500 })(REFRESH_TOKEN)],
  ])('answers exactly {active:false} for %s', async (_label, introspect) => {
    expect(await introspect()).toStrictEqual({ active: false });
  });
});
