import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { introspectToken } from './introspection.js';
import type { RefreshTokenRecord } from './ports.js';
import { ACME_USER_REALM, createTestClock, refreshTokenRecord, SEED_CLIENT_ID, T0 } from './testing/fakes.js';
import type { TokenInspectionDeps } from './token-inspection.js';

const ACCESS_TOKEN = 'access.token.jwt';
/** RFC 9068 claims as the server signs them (see access-token.ts). */
const CLAIMS: JWTPayload = {
  iss: ACME_USER_REALM.issuer,
  sub: 'user-1',
  aud: 'https://api.acme.example',
  client_id: SEED_CLIENT_ID,
  scope: 'openid core.read',
  iat: T0,
  exp: T0 + 900,
  jti: 'jti-1',
  auth_time: T0 - 60,
  tenant_id: 'ACME',
  actor: 'user',
};
const REFRESH_TOKEN = 'opaque-refresh-token';
const RECORD: RefreshTokenRecord = refreshTokenRecord(REFRESH_TOKEN, {
  scopes: ['openid', 'core.read'],
  familyCreatedAt: T0 - 100,
  familyExpiresAt: T0 + 3_500,
  idleExpiresAt: T0 + 500,
  createdAt: T0 - 100,
  accessTokenExpiresAt: T0 + 800,
});

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
    clock: createTestClock(options.now),
  };
  return (token: string, hint?: string) => introspectToken(deps, ACME_USER_REALM, token, hint);
}

describe('introspectToken (RFC 7662 §2.2)', () => {
  it('describes an active access token with its claims, and nothing else (no auth_time)', async () => {
    expect(await introspection()(ACCESS_TOKEN)).toEqual({
      active: true,
      token_type: 'Bearer',
      scope: 'openid core.read',
      client_id: SEED_CLIENT_ID,
      sub: 'user-1',
      aud: 'https://api.acme.example',
      iss: ACME_USER_REALM.issuer,
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
      client_id: SEED_CLIENT_ID,
      sub: 'user-1',
      iss: ACME_USER_REALM.issuer,
      exp: T0 + 500,
      iat: T0 - 100,
      tenant_id: 'ACME',
      actor: 'user',
    });
    expect((await introspection({ record: { ...RECORD, idleExpiresAt: T0 + 7_200 } })(REFRESH_TOKEN)).exp).toBe(
      T0 + 3_500,
    );
  });

  it.each<[string, () => Promise<Record<string, unknown>>]>([
    ['a deny-listed access token', () => introspection({ revokedJtis: ['jti-1'] })(ACCESS_TOKEN)],
    ['an unknown token', () => introspection()('never-issued')],
    ['an unknown JWT-shaped token', () => introspection()('never.issued.jwt')],
    ['a rotated refresh token', () => introspection({ record: { ...RECORD, rotatedAt: T0 - 1 } })(REFRESH_TOKEN)],
    ['a revoked refresh token', () => introspection({ record: { ...RECORD, revokedAt: T0 - 1 } })(REFRESH_TOKEN)],
    ['a refresh token at its idle expiry', () => introspection({ now: T0 + 500 })(REFRESH_TOKEN)],
    [
      'a refresh token at its absolute expiry',
      () => introspection({ record: { ...RECORD, idleExpiresAt: T0 + 7_200 }, now: T0 + 3_500 })(REFRESH_TOKEN),
    ],
  ])('answers exactly {active:false} for %s', async (_label, introspect) => {
    expect(await introspect()).toStrictEqual({ active: false });
  });
});
