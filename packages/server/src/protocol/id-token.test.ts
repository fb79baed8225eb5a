import { describe, expect, it } from 'vitest';
import { accessTokenHash, buildIdTokenClaims } from './id-token.js';
import { SEED_USER_REALM, T0 } from './testing/fakes.js';

const INPUT = {
  realm: SEED_USER_REALM,
  clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  userId: 'user-1',
  authTime: T0 - 30,
  nonce: 'n-0S6_WzA2Mj',
  accessToken: 'header.payload.signature',
  now: T0,
  ttlSeconds: 300,
};

describe('accessTokenHash (OIDC Core §3.1.3.6 at_hash)', () => {
  // Computed by hand: printf %s TOKEN | openssl dgst -sha256 -binary | head -c 16 | base64url.
  it('is the base64url of the left half of the SHA-256 of the access token', () => {
    expect(accessTokenHash('header.payload.signature')).toBe('JW0E205eSsMIdR7QiFtyKw');
    expect(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNiY4OC5SK-ruJuUrStY')).toBe('2qzZW4UeIbRjAisUzv4HCg');
  });

  it('is 22 characters: 128 bits without padding', () => {
    expect(accessTokenHash('x')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('buildIdTokenClaims', () => {
  it('gives iss, sub, aud (the client), iat, exp, auth_time, nonce and at_hash', () => {
    expect(buildIdTokenClaims(INPUT)).toEqual({
      iss: SEED_USER_REALM.issuer,
      sub: 'user-1',
      aud: INPUT.clientId,
      iat: T0,
      exp: T0 + 300,
      auth_time: T0 - 30,
      nonce: 'n-0S6_WzA2Mj',
      at_hash: 'JW0E205eSsMIdR7QiFtyKw',
    });
  });

  it('has no nonce claim at all when the authorization request had none', () => {
    const claims = buildIdTokenClaims({ ...INPUT, nonce: null });
    expect(claims).not.toHaveProperty('nonce');
    expect(Object.keys(claims).sort()).toEqual(['at_hash', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'sub']);
  });

  it('echoes the nonce byte for byte', () => {
    expect(buildIdTokenClaims({ ...INPUT, nonce: 'a b+c/%20é' }).nonce).toBe('a b+c/%20é');
  });
});
