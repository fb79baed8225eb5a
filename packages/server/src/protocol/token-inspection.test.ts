import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import type { RefreshTokenRecord } from './ports.js';
import {
  ACME_CUSTOMER_REALM,
  ACME_USER_REALM,
  createTestClock,
  refreshTokenRecord,
  SEED_CLIENT_ID,
  T0,
} from './testing/fakes.js';
import { inspectToken, refreshTokenIsActive, type TokenInspectionDeps } from './token-inspection.js';

const ACCESS_TOKEN = 'access.token.jwt';
const CLAIMS: JWTPayload = {
  iss: ACME_USER_REALM.issuer,
  sub: 'user-1',
  client_id: SEED_CLIENT_ID,
  jti: 'jti-1',
  exp: T0 + 900,
};
const REFRESH_TOKEN = 'opaque-refresh-token';
const RECORD: RefreshTokenRecord = refreshTokenRecord(REFRESH_TOKEN, { accessTokenJti: 'jti-1' });

/** Own JWTs by value, a deny-list and refresh tokens by hash; every look-up is logged in order. */
function inspection(
  options: { claims?: JWTPayload | undefined; revokedJtis?: string[]; record?: RefreshTokenRecord } = {},
) {
  const lookups: string[] = [];
  const verified: unknown[][] = [];
  const claims = 'claims' in options ? options.claims : CLAIMS;
  const record = options.record ?? RECORD;
  const deps: TokenInspectionDeps = {
    verifyJwt: async (...args) => {
      lookups.push('jwt');
      verified.push(args);
      return args[1] === ACCESS_TOKEN ? claims : undefined;
    },
    revokedTokens: {
      revokeAccessToken: async () => expect.unreachable('inspection never revokes'),
      isAccessTokenRevoked: async (jti) => (options.revokedJtis ?? []).includes(jti),
    },
    refreshTokens: {
      insert: async () => expect.unreachable('inspection never writes'),
      rotate: async () => expect.unreachable('inspection never writes'),
      revokeFamilies: async () => expect.unreachable('inspection never revokes'),
      findByHash: async (tokenHash) => {
        lookups.push('refresh');
        return tokenHash === record.tokenHash ? record : undefined;
      },
    },
    clock: createTestClock(),
  };
  return { deps, lookups, verified };
}

describe('inspectToken', () => {
  it('finds an access token this realm signed, asking for typ at+jwt and the realm issuer with the tenant key', async () => {
    const { deps, verified } = inspection();
    expect(await inspectToken(deps, ACME_USER_REALM, ACCESS_TOKEN, undefined)).toEqual({
      kind: 'access_token',
      claims: CLAIMS,
    });
    expect(verified).toEqual([['ACME', ACCESS_TOKEN, { typ: 'at+jwt', issuer: ACME_USER_REALM.issuer }]]);
  });

  it('finds a refresh token of this realm by the SHA-256 of its value', async () => {
    const { deps } = inspection();
    expect(await inspectToken(deps, ACME_USER_REALM, REFRESH_TOKEN, undefined)).toEqual({
      kind: 'refresh_token',
      record: RECORD,
    });
  });

  it('finds retired refresh tokens too (revocation must reach them)', async () => {
    const retired = { ...RECORD, rotatedAt: T0 + 1, revokedAt: T0 + 2 };
    const { deps } = inspection({ record: retired });
    expect(await inspectToken(deps, ACME_USER_REALM, REFRESH_TOKEN, undefined)).toEqual({
      kind: 'refresh_token',
      record: retired,
    });
  });

  it('looks for an access token first, or for a refresh token first with token_type_hint=refresh_token', async () => {
    const first = inspection();
    await inspectToken(first.deps, ACME_USER_REALM, 'unknown.three.parts', undefined);
    expect(first.lookups).toEqual(['jwt', 'refresh']);
    const hinted = inspection();
    await inspectToken(hinted.deps, ACME_USER_REALM, 'unknown.three.parts', 'refresh_token');
    expect(hinted.lookups).toEqual(['refresh', 'jwt']);
  });

  it('treats the hint only as an order: a refresh token hinted as access_token is still found', async () => {
    const { deps } = inspection();
    expect(await inspectToken(deps, ACME_USER_REALM, REFRESH_TOKEN, 'access_token')).toEqual({
      kind: 'refresh_token',
      record: RECORD,
    });
  });

  it('does not try to verify a value that is not three dot-separated parts', async () => {
    const { deps, lookups } = inspection();
    await inspectToken(deps, ACME_USER_REALM, 'two.parts', undefined);
    expect(lookups).toEqual(['refresh']);
  });

  it('returns undefined for a deny-listed access token', async () => {
    const { deps } = inspection({ revokedJtis: ['jti-1'] });
    expect(await inspectToken(deps, ACME_USER_REALM, ACCESS_TOKEN, undefined)).toBeUndefined();
  });

  it.each([
    ['that fails verification', undefined],
    ['without jti', { ...CLAIMS, jti: undefined }],
    ['without client_id', { ...CLAIMS, client_id: undefined }],
    ['with a numeric jti', { ...CLAIMS, jti: 7 as unknown as string }],
  ])('returns undefined for an access token %s', async (_label, claims) => {
    const { deps } = inspection({ claims });
    expect(await inspectToken(deps, ACME_USER_REALM, ACCESS_TOKEN, undefined)).toBeUndefined();
  });

  it('returns undefined for a refresh token of another realm of the tenant', async () => {
    const { deps } = inspection();
    expect(await inspectToken(deps, ACME_CUSTOMER_REALM, REFRESH_TOKEN, undefined)).toBeUndefined();
  });

  it('returns undefined for an unknown value', async () => {
    const { deps } = inspection();
    expect(await inspectToken(deps, ACME_USER_REALM, 'never-issued', undefined)).toBeUndefined();
  });
});

describe('refreshTokenIsActive', () => {
  it('is true for a live token before both its idle and its absolute expiry', () => {
    expect(refreshTokenIsActive(RECORD, T0 + 599)).toBe(true);
  });

  it.each<[string, Partial<RefreshTokenRecord>, number]>([
    ['rotated', { rotatedAt: T0 + 1 }, T0 + 2],
    ['revoked', { revokedAt: T0 + 1 }, T0 + 2],
    ['at its idle expiry', {}, T0 + 600],
    ['at its absolute expiry', { idleExpiresAt: T0 + 7_200 }, T0 + 3_600],
  ])('is false for a token %s', (_label, change, now) => {
    expect(refreshTokenIsActive({ ...RECORD, ...change }, now)).toBe(false);
  });
});
