import { describe, expect, it } from 'vitest';
import { parseParameters } from '../parameters.js';
import { InvalidGrant, InvalidRequest } from '../errors.js';
import type { Client, Realm, User } from '../model.js';
import type { AuthorizationCodeRecord } from '../ports.js';
import { hashOpaqueSecret } from '../secrets.js';
import {
  createCodeStore,
  createRecordingRandom,
  createRecordingSigner,
  createRefreshTokenStore,
  createRevokedTokenStore,
  createTestClock,
  expectInvalidGrant,
  formEncode,
  OTHER_CLIENT_ID,
  READ,
  seedClient,
  SEED_CHALLENGE,
  SEED_CUSTOMER_REALM,
  SEED_REDIRECT_URI,
  SEED_TENANT,
  SEED_USER,
  SEED_USER_REALM,
  SEED_VERIFIER,
  SHORT_REFRESH_POLICY,
  T0,
  WRITE,
} from '../testing/fakes.js';
import { authorizationCodeGrant, type AuthorizationCodeGrantDeps } from './authorization-code.js';
import type { TokenResponse } from './grant.js';

const TTL_SECONDS = 900;
const ID_TOKEN_TTL_SECONDS = 300;

const CLIENT: Client = seedClient({ refreshTokens: SHORT_REFRESH_POLICY });
const OTHER_CLIENT: Client = { ...CLIENT, clientId: OTHER_CLIENT_ID };
const NO_REFRESH_CLIENT: Client = { ...CLIENT, refreshTokens: { ...CLIENT.refreshTokens, enabled: false } };

// The seed document's token request: this code, redeemed with the RFC 7636 appendix B verifier.
const CODE = 'def456-gh-ijkl-789-mnopqr';
const CODE_HASH = hashOpaqueSecret(CODE);
const SIGNED_TOKEN = 'header.payload.signature';
const SIGNED_ID_TOKEN = 'id-header.id-payload.id-signature';
// The fake Random numbers what it hands out; a redemption draws the access token's jti, then the
// refresh family id, then the refresh token.
const JTI = 'random-1';
const FAMILY_ID = 'random-2';
const REFRESH_TOKEN = 'random-3';

interface SetupOptions {
  readonly scopes?: readonly string[];
  readonly nonce?: string | null;
  readonly user?: User | undefined;
  /** What the person has consented to for the client; default: openid and both API scopes. */
  readonly grantedScopes?: readonly string[];
}

function setup(options: SetupOptions = {}) {
  const clock = createTestClock();
  const revokedTokens = createRevokedTokenStore();
  const refreshTokens = createRefreshTokenStore(revokedTokens.entries);
  // Consume stores the family's first refresh token in the same transaction, as the SQL store does.
  const codes = createCodeStore(refreshTokens);
  const signer = createRecordingSigner({ accessToken: () => SIGNED_TOKEN, idToken: SIGNED_ID_TOKEN });
  const random = createRecordingRandom();
  const user = 'user' in options ? options.user : SEED_USER;
  const deps: AuthorizationCodeGrantDeps = {
    codes,
    revokedTokens,
    refreshTokens,
    signer,
    clock,
    random,
    accessTokenTtlSeconds: TTL_SECONDS,
    idTokenTtlSeconds: ID_TOKEN_TTL_SECONDS,
    findUser: async (tenantId, userId) => (user && user.tenantId === tenantId && user.id === userId ? user : undefined),
    // What the person consented to on the consent page: the code's scopes, openid included.
    grantedScopes: async () => options.grantedScopes ?? ['openid', READ, WRITE],
  };
  const record: Omit<AuthorizationCodeRecord, 'consumedAt' | 'accessTokenJti'> = {
    codeHash: CODE_HASH,
    realmId: SEED_USER_REALM.id,
    tenantId: SEED_TENANT.id,
    clientId: CLIENT.clientId,
    userId: 'user-1',
    sessionId: 'session-1',
    redirectUri: SEED_REDIRECT_URI,
    scopes: options.scopes ?? [READ, WRITE],
    codeChallenge: SEED_CHALLENGE,
    nonce: options.nonce ?? null,
    authTime: T0 - 30,
    expiresAt: T0 + 60,
  };
  void codes.insert(record);
  const grant = authorizationCodeGrant(deps);
  const redeem = (
    form: Record<string, string | undefined> = {},
    client: Client = CLIENT,
    realm: Realm = SEED_USER_REALM,
  ): Promise<TokenResponse> => {
    const values = {
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: SEED_REDIRECT_URI,
      client_id: client.clientId,
      code_verifier: SEED_VERIFIER,
      ...form,
    };
    return grant({ realm, tenant: SEED_TENANT, client, parameters: parseParameters(formEncode(values)) });
  };
  return {
    clock,
    codes,
    revoked: revokedTokens.entries,
    refreshTokens,
    signed: signer.signed,
    randomBytes: random.drawnBytes,
    redeem,
  };
}

const EXPECTED_RESPONSE: TokenResponse = {
  access_token: SIGNED_TOKEN,
  token_type: 'Bearer',
  expires_in: TTL_SECONDS,
  scope: 'core.aiservices.read core.aiservices.write',
  refresh_token: REFRESH_TOKEN,
};

describe('authorization_code grant: a valid redemption', () => {
  it('returns a Bearer token with the lifetime and the scopes of the code, and a refresh token for a client allowed one', async () => {
    const { redeem } = setup();
    expect(await redeem()).toEqual(EXPECTED_RESPONSE);
  });

  it('signs RFC 9068 claims for the tenant with a 16-byte random jti', async () => {
    const { redeem, signed, randomBytes } = setup();
    await redeem();
    expect(randomBytes[0]).toBe(16);
    expect(signed).toEqual([
      {
        tenantId: SEED_TENANT.id,
        typ: 'at+jwt',
        claims: {
          iss: SEED_USER_REALM.issuer,
          sub: 'user-1',
          aud: 'https://api.example.com',
          client_id: CLIENT.clientId,
          scope: 'core.aiservices.read core.aiservices.write',
          iat: T0,
          exp: T0 + TTL_SECONDS,
          jti: JTI,
          auth_time: T0 - 30,
          tenant_id: SEED_TENANT.id,
          actor: 'user',
        },
      },
    ]);
  });

  it('consumes the code, recording when and the jti of the token it yielded', async () => {
    const { redeem, codes, clock } = setup();
    clock.now = T0 + 5;
    await redeem();
    expect(codes.records.get(CODE_HASH)).toMatchObject({ consumedAt: T0 + 5, accessTokenJti: JTI });
  });

  it('accepts a code one second before it expires', async () => {
    const { redeem, clock } = setup();
    clock.now = T0 + 59;
    expect(await redeem()).toEqual(EXPECTED_RESPONSE);
  });
});

describe('authorization_code grant: the refresh token (RFC 9700 §4.14, OAuth 2.1 §4.3)', () => {
  it('is 256 random bits, stored only as its SHA-256, bound to client, realm, user, session, code and the granted scopes', async () => {
    const { redeem, refreshTokens, randomBytes, clock } = setup();
    clock.now = T0 + 5;
    await redeem();
    // jti and family id are 16 bytes; the refresh token itself 32 (RFC 9700 §4.14.2: unguessable).
    expect(randomBytes).toEqual([16, 16, 32]);
    expect([...refreshTokens.records.keys()]).toEqual([hashOpaqueSecret(REFRESH_TOKEN)]);
    expect(refreshTokens.records.get(hashOpaqueSecret(REFRESH_TOKEN))).toEqual({
      tokenHash: hashOpaqueSecret(REFRESH_TOKEN),
      familyId: FAMILY_ID,
      realmId: SEED_USER_REALM.id,
      tenantId: SEED_TENANT.id,
      clientId: CLIENT.clientId,
      userId: 'user-1',
      sessionId: 'session-1',
      codeHash: CODE_HASH,
      scopes: [READ, WRITE],
      authTime: T0 - 30,
      familyCreatedAt: T0 + 5,
      familyExpiresAt: T0 + 5 + 3_600,
      idleExpiresAt: T0 + 5 + 600,
      createdAt: T0 + 5,
      rotatedAt: null,
      revokedAt: null,
      accessTokenJti: JTI,
      accessTokenExpiresAt: T0 + 5 + TTL_SECONDS,
      successorSealed: null,
    });
  });

  it('never lets the idle expiry pass the absolute expiry when the policy allows a longer idle time', async () => {
    const { redeem, refreshTokens } = setup();
    await redeem(
      {},
      { ...CLIENT, refreshTokens: { ...CLIENT.refreshTokens, absoluteTtlSeconds: 300, idleTtlSeconds: 7_200 } },
    );
    expect(refreshTokens.records.get(hashOpaqueSecret(REFRESH_TOKEN))).toMatchObject({
      familyExpiresAt: T0 + 300,
      idleExpiresAt: T0 + 300,
    });
  });

  it('is not issued, nor stored, for a client whose refresh-token policy is off', async () => {
    const { redeem, refreshTokens, randomBytes } = setup();
    const { refresh_token: _none, ...withoutRefresh } = EXPECTED_RESPONSE;
    expect(await redeem({}, NO_REFRESH_CLIENT)).toEqual(withoutRefresh);
    expect(refreshTokens.records.size).toBe(0);
    expect(randomBytes).toEqual([16]);
  });
});

describe('authorization_code grant: OpenID Connect id_token', () => {
  it('adds an id_token (typ JWT, audience the client) with nonce, auth_time and at_hash when the scope has openid', async () => {
    const { redeem, signed } = setup({ scopes: ['openid', READ], nonce: 'n-0S6_WzA2Mj' });
    expect(await redeem()).toEqual({ ...EXPECTED_RESPONSE, scope: `openid ${READ}`, id_token: SIGNED_ID_TOKEN });
    expect(signed.map((call) => call.typ)).toEqual(['at+jwt', 'JWT']);
    expect(signed[1]).toEqual({
      tenantId: SEED_TENANT.id,
      typ: 'JWT',
      alg: 'RS256',
      claims: {
        iss: SEED_USER_REALM.issuer,
        sub: 'user-1',
        aud: CLIENT.clientId,
        iat: T0,
        exp: T0 + ID_TOKEN_TTL_SECONDS,
        auth_time: T0 - 30,
        nonce: 'n-0S6_WzA2Mj',
        // base64url of the first 16 bytes of SHA-256("header.payload.signature"), computed with openssl.
        at_hash: 'JW0E205eSsMIdR7QiFtyKw',
      },
    });
  });

  it('leaves nonce out of the id_token when the authorization request had none', async () => {
    const { redeem, signed } = setup({ scopes: ['openid'], nonce: null });
    await redeem();
    expect(signed[1]!.claims).not.toHaveProperty('nonce');
    expect(Object.keys(signed[1]!.claims).sort()).toEqual(['at_hash', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'sub']);
  });

  it('signs no id_token without the openid scope, even when the request had a nonce', async () => {
    const { redeem, signed } = setup({ nonce: 'n-0S6_WzA2Mj' });
    expect(await redeem()).toEqual(EXPECTED_RESPONSE);
    expect(signed.map((call) => call.typ)).toEqual(['at+jwt']);
  });
});

describe('authorization_code grant refuses with invalid_grant', () => {
  it('a wrong code_verifier, leaving the code redeemable', async () => {
    const { redeem, codes } = setup();
    await expectInvalidGrant(
      redeem({ code_verifier: `${SEED_VERIFIER.slice(0, -1)}Y` }),
      'code_verifier does not match the code_challenge',
    );
    expect(codes.records.get(CODE_HASH)).toMatchObject({ consumedAt: null, accessTokenJti: null });
    expect(await redeem()).toEqual(EXPECTED_RESPONSE);
  });

  it('a missing code_verifier', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(redeem({ code_verifier: undefined }), 'code_verifier does not match the code_challenge');
  });

  it('an empty code_verifier', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(redeem({ code_verifier: '' }), 'code_verifier does not match the code_challenge');
  });

  it('the code_challenge presented as the verifier (plain)', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(
      redeem({ code_verifier: SEED_CHALLENGE }),
      'code_verifier does not match the code_challenge',
    );
  });

  it('a code issued to another client, with the same description as an unknown code', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(redeem({}, OTHER_CLIENT), 'invalid authorization code');
  });

  it('a code issued in another realm of the same tenant', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(redeem({}, CLIENT, SEED_CUSTOMER_REALM), 'invalid authorization code');
  });

  it('a redirect_uri that differs from the authorization request (even by a trailing slash)', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(
      redeem({ redirect_uri: `${SEED_REDIRECT_URI}/` }),
      'redirect_uri does not match the authorization request',
    );
  });

  it('an expired code (at its expiry second)', async () => {
    const { redeem, clock, codes } = setup();
    clock.now = T0 + 60;
    await expectInvalidGrant(redeem(), 'authorization code expired');
    expect(codes.records.get(CODE_HASH)).toMatchObject({ consumedAt: null });
  });

  it('an unknown code', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(redeem({ code: 'not-a-code-we-issued' }), 'invalid authorization code');
  });

  it('a client disabled after the code was issued, leaving the code unconsumed and nothing signed', async () => {
    const { redeem, codes, signed, refreshTokens } = setup();
    await expectInvalidGrant(redeem({}, { ...CLIENT, disabled: true }), 'the client is disabled');
    expect(codes.records.get(CODE_HASH)).toMatchObject({ consumedAt: null });
    expect(signed).toEqual([]);
    expect(refreshTokens.records.size).toBe(0);
  });

  it('a person disabled after signing in', async () => {
    const { redeem, signed } = setup({ user: { ...SEED_USER, disabled: true } });
    await expectInvalidGrant(redeem(), 'the account is disabled');
    expect(signed).toEqual([]);
  });

  it('a person who no longer exists, with the same description as a disabled one', async () => {
    const { redeem } = setup({ user: undefined });
    await expectInvalidGrant(redeem(), 'the account is disabled');
  });

  it('a password changed after the sign-in the code came from', async () => {
    const { redeem } = setup({ user: { ...SEED_USER, passwordChangedAt: T0 - 29 } });
    await expectInvalidGrant(redeem(), 'the grant ended when the password changed');
  });

  it('but not a password changed in the very second of the sign-in', async () => {
    const { redeem } = setup({ user: { ...SEED_USER, passwordChangedAt: T0 - 30 } });
    expect(await redeem()).toEqual(EXPECTED_RESPONSE);
  });
});

describe('authorization_code grant refuses with invalid_request', () => {
  it('a missing or empty code', async () => {
    const { redeem } = setup();
    await expect(redeem({ code: undefined })).rejects.toThrow(new InvalidRequest('missing required parameter code'));
    await expect(redeem({ code: '' })).rejects.toThrow(new InvalidRequest('missing required parameter code'));
  });

  it('a missing redirect_uri', async () => {
    const { redeem } = setup();
    await expect(redeem({ redirect_uri: undefined })).rejects.toThrow(
      new InvalidRequest('missing required parameter redirect_uri'),
    );
  });
});

describe('authorization_code grant on a reused code (RFC 6749 §4.1.2, RFC 9700 §4.5)', () => {
  it('refuses a second valid redemption with invalid_grant and revokes the first access token and its refresh tokens', async () => {
    const { redeem, clock, revoked, refreshTokens, signed } = setup();
    await redeem();
    clock.now = T0 + 10;
    await expectInvalidGrant(redeem(), 'authorization code was already used');
    expect([...revoked]).toEqual([[JTI, { realmId: SEED_USER_REALM.id, expiresAt: T0 + 10 + TTL_SECONDS }]]);
    expect(refreshTokens.revocations).toEqual([{ codeHash: CODE_HASH }]);
    expect(refreshTokens.records.get(hashOpaqueSecret(REFRESH_TOKEN))).toMatchObject({ revokedAt: T0 + 10 });
    expect(signed).toHaveLength(1);
  });

  it('revokes even when the reuse comes after the code expired', async () => {
    const { redeem, clock, revoked, refreshTokens } = setup();
    await redeem();
    clock.now = T0 + 3_600;
    await expectInvalidGrant(redeem(), 'authorization code was already used');
    expect([...revoked.keys()]).toEqual([JTI]);
    expect(refreshTokens.records.get(hashOpaqueSecret(REFRESH_TOKEN))).toMatchObject({ revokedAt: T0 + 3_600 });
  });

  it('revokes the access token of a client without refresh tokens (there is no family to revoke)', async () => {
    const { redeem, revoked, refreshTokens } = setup();
    await redeem({}, NO_REFRESH_CLIENT);
    await expectInvalidGrant(redeem({}, NO_REFRESH_CLIENT), 'authorization code was already used');
    expect([...revoked.keys()]).toEqual([JTI]);
    expect(refreshTokens.revocations).toEqual([{ codeHash: CODE_HASH }]);
    expect(refreshTokens.records.size).toBe(0);
  });

  it('does not revoke anything when the second redemption has a wrong code_verifier', async () => {
    const { redeem, revoked, refreshTokens } = setup();
    await redeem();
    await expectInvalidGrant(
      redeem({ code_verifier: 'x'.repeat(43) }),
      'code_verifier does not match the code_challenge',
    );
    expect(revoked.size).toBe(0);
    expect(refreshTokens.revocations).toEqual([]);
    expect(refreshTokens.records.get(hashOpaqueSecret(REFRESH_TOKEN))).toMatchObject({ revokedAt: null });
  });

  it('does not revoke anything when the second redemption comes from another client', async () => {
    const { redeem, revoked, refreshTokens } = setup();
    await redeem();
    await expectInvalidGrant(redeem({}, OTHER_CLIENT), 'invalid authorization code');
    expect(revoked.size).toBe(0);
    expect(refreshTokens.revocations).toEqual([]);
  });

  it('lets exactly one of two concurrent valid redemptions succeed and revokes what the winner got, refresh family included', async () => {
    const { redeem, revoked, refreshTokens, signed } = setup();
    const results = await Promise.allSettled([redeem(), redeem()]);
    const fulfilled = results.filter(
      (result): result is PromiseFulfilledResult<TokenResponse> => result.status === 'fulfilled',
    );
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(InvalidGrant);
    expect(rejected[0]!.reason).toMatchObject({
      message: 'authorization code was already used',
      detail: 'concurrent code redemption lost the race',
    });
    expect(signed.map((call) => call.claims.jti)).toEqual([JTI]);
    expect([...revoked.keys()]).toEqual([JTI]);
    expect(refreshTokens.revocations).toContainEqual({ codeHash: CODE_HASH });
    // Never a live family from a replayed code, whichever of the two got there first.
    const family = [...refreshTokens.records.values()];
    expect(family).toHaveLength(1);
    expect(family[0]!.revokedAt).not.toBeNull();
    expect(hashOpaqueSecret(fulfilled[0]!.value.refresh_token!)).toBe(family[0]!.tokenHash);
  });
});

describe('authorization_code grant: consent withdrawn while the code was in flight', () => {
  it('refuses the exchange with invalid_grant when the person no longer consents to the scopes', async () => {
    const { redeem } = setup({ grantedScopes: [READ] });
    await expect(redeem()).rejects.toBeInstanceOf(InvalidGrant);
  });
});
