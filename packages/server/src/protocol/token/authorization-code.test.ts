import { describe, expect, it } from 'vitest';
import { parseParameters } from '../authorize/parameters.js';
import { InvalidGrant, InvalidRequest } from '../errors.js';
import type { Client, Realm, Tenant } from '../model.js';
import type { AccessTokenSigner, AuthorizationCodeRecord, AuthorizationCodeRepository, RevokedTokenRepository } from '../ports.js';
import { hashOpaqueSecret } from '../secrets.js';
import { authorizationCodeGrant, type AuthorizationCodeGrantDeps } from './authorization-code.js';
import type { TokenResponse } from './grant.js';

const T0 = 1_750_000_000;
const TTL_SECONDS = 900;
const TENANT: Tenant = { id: 'TMPRODB88619984', name: 'Demo Tenant', apiDomain: 'https://api.example.com' };
const USER_REALM: Realm = { id: 'TMPRODB88619984-U', tenantId: TENANT.id, actor: 'user', issuer: 'https://ai.egain.cloud/system/auth/TMPRODB88619984-U' };
const CUSTOMER_REALM: Realm = { id: 'TMPRODB88619984-C', tenantId: TENANT.id, actor: 'customer', issuer: 'https://ai.egain.cloud/system/auth/TMPRODB88619984-C' };

const CLIENT: Client = {
  clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  tenantId: TENANT.id,
  name: 'Demo SPA',
  platform: 'spa',
  resourceType: 'global',
  redirectUris: ['https://oauth.pstmn.io/v1/callback'],
  scopes: ['core.aiservices.read', 'core.aiservices.write'],
  consentMode: 'required',
  secretHash: null,
};
const OTHER_CLIENT: Client = { ...CLIENT, clientId: '0c7f4a51-2b3e-4d6f-8a9b-1c2d3e4f5a6b' };

// The seed document's token request, with the RFC 7636 appendix B verifier.
const CODE = 'def456-gh-ijkl-789-mnopqr';
const CODE_HASH = hashOpaqueSecret(CODE);
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const REDIRECT_URI = 'https://oauth.pstmn.io/v1/callback';
const SIGNED_TOKEN = 'header.payload.signature';

/** Authorization codes in memory, with the same atomic consume as the SQL repositories. */
function createCodeStore(): AuthorizationCodeRepository & { records: Map<string, AuthorizationCodeRecord> } {
  const records = new Map<string, AuthorizationCodeRecord>();
  return {
    records,
    async insert(record) {
      records.set(record.codeHash, { ...record, consumedAt: null, accessTokenJti: null });
    },
    async findByHash(codeHash) {
      const record = records.get(codeHash);
      return record && { ...record };
    },
    async consume(codeHash, now, accessTokenJti) {
      const record = records.get(codeHash);
      if (!record || record.consumedAt !== null) return false;
      records.set(codeHash, { ...record, consumedAt: now, accessTokenJti });
      return true;
    },
  };
}

function setup(options: { withRefreshRevoker?: boolean } = {}) {
  const clock = { now: T0, nowSeconds(): number { return this.now; } };
  const codes = createCodeStore();
  const revoked = new Map<string, { realmId: string; expiresAt: number }>();
  const revokedTokens: RevokedTokenRepository = {
    async revokeAccessToken(jti, realmId, expiresAt) {
      revoked.set(jti, { realmId, expiresAt });
    },
    async isAccessTokenRevoked(jti) {
      return revoked.has(jti);
    },
  };
  const signed: { tenantId: string; claims: Record<string, unknown> }[] = [];
  const signer: AccessTokenSigner = {
    async signAccessToken(tenantId, claims) {
      signed.push({ tenantId, claims });
      return SIGNED_TOKEN;
    },
  };
  const randomBytes: number[] = [];
  let jtiCounter = 0;
  const refreshRevocations: string[] = [];
  const deps: AuthorizationCodeGrantDeps = {
    codes,
    revokedTokens,
    signer,
    clock,
    random: {
      token: (bytes) => {
        randomBytes.push(bytes);
        jtiCounter += 1;
        return `jti-${jtiCounter}`;
      },
      uuid: () => 'unused',
    },
    accessTokenTtlSeconds: TTL_SECONDS,
    ...(options.withRefreshRevoker === false ? {} : { revokeRefreshTokensFromCode: async (codeHash: string) => void refreshRevocations.push(codeHash) }),
  };
  const record: Omit<AuthorizationCodeRecord, 'consumedAt' | 'accessTokenJti'> = {
    codeHash: CODE_HASH,
    realmId: USER_REALM.id,
    tenantId: TENANT.id,
    clientId: CLIENT.clientId,
    userId: 'user-1',
    sessionId: 'session-1',
    redirectUri: REDIRECT_URI,
    scopes: ['core.aiservices.read', 'core.aiservices.write'],
    codeChallenge: CHALLENGE,
    nonce: null,
    authTime: T0 - 30,
    expiresAt: T0 + 60,
  };
  void codes.insert(record);
  const grant = authorizationCodeGrant(deps);
  const redeem = (form: Record<string, string | undefined> = {}, client: Client = CLIENT, realm: Realm = USER_REALM): Promise<TokenResponse> => {
    const values: Record<string, string | undefined> = { grant_type: 'authorization_code', code: CODE, redirect_uri: REDIRECT_URI, client_id: client.clientId, code_verifier: VERIFIER, ...form };
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) if (value !== undefined) params.append(name, value);
    return grant({ realm, tenant: TENANT, client, parameters: parseParameters(params.toString()) });
  };
  return { clock, codes, revoked, signed, randomBytes, refreshRevocations, redeem };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable('the token request should have failed'),
    (error: unknown) => error as Error,
  );
}

async function expectInvalidGrant(promise: Promise<unknown>, description: string): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(InvalidGrant);
  expect(error).toMatchObject({ error: 'invalid_grant', status: 400, message: description });
}

const EXPECTED_RESPONSE: TokenResponse = { access_token: SIGNED_TOKEN, token_type: 'Bearer', expires_in: TTL_SECONDS, scope: 'core.aiservices.read core.aiservices.write' };

describe('authorization_code grant: a valid redemption', () => {
  it('returns a Bearer token with the lifetime and the scopes of the code', async () => {
    const { redeem } = setup();
    expect(await redeem()).toEqual(EXPECTED_RESPONSE);
  });

  it('signs RFC 9068 claims for the tenant with a 16-byte random jti', async () => {
    const { redeem, signed, randomBytes } = setup();
    await redeem();
    expect(randomBytes).toEqual([16]);
    expect(signed).toEqual([
      {
        tenantId: TENANT.id,
        claims: {
          iss: USER_REALM.issuer,
          sub: 'user-1',
          aud: 'https://api.example.com',
          client_id: CLIENT.clientId,
          scope: 'core.aiservices.read core.aiservices.write',
          iat: T0,
          exp: T0 + TTL_SECONDS,
          jti: 'jti-1',
          auth_time: T0 - 30,
          tenant_id: TENANT.id,
          actor: 'user',
        },
      },
    ]);
  });

  it('consumes the code, recording when and the jti of the token it yielded', async () => {
    const { redeem, codes, clock } = setup();
    clock.now = T0 + 5;
    await redeem();
    expect(codes.records.get(CODE_HASH)).toMatchObject({ consumedAt: T0 + 5, accessTokenJti: 'jti-1' });
  });

  it('accepts a code one second before it expires', async () => {
    const { redeem, clock } = setup();
    clock.now = T0 + 59;
    expect(await redeem()).toEqual(EXPECTED_RESPONSE);
  });
});

describe('authorization_code grant refuses with invalid_grant', () => {
  it('a wrong code_verifier, leaving the code redeemable', async () => {
    const { redeem, codes } = setup();
    await expectInvalidGrant(redeem({ code_verifier: `${VERIFIER.slice(0, -1)}Y` }), 'code_verifier does not match the code_challenge');
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
    await expectInvalidGrant(redeem({ code_verifier: CHALLENGE }), 'code_verifier does not match the code_challenge');
  });

  it('a code issued to another client, with the same description as an unknown code', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(redeem({}, OTHER_CLIENT), 'invalid authorization code');
  });

  it('a code issued in another realm of the same tenant', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(redeem({}, CLIENT, CUSTOMER_REALM), 'invalid authorization code');
  });

  it('a redirect_uri that differs from the authorization request (even by a trailing slash)', async () => {
    const { redeem } = setup();
    await expectInvalidGrant(redeem({ redirect_uri: `${REDIRECT_URI}/` }), 'redirect_uri does not match the authorization request');
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
});

describe('authorization_code grant refuses with invalid_request', () => {
  it('a missing or empty code', async () => {
    const { redeem } = setup();
    await expect(redeem({ code: undefined })).rejects.toThrow(new InvalidRequest('missing required parameter code'));
    await expect(redeem({ code: '' })).rejects.toThrow(new InvalidRequest('missing required parameter code'));
  });

  it('a missing redirect_uri', async () => {
    const { redeem } = setup();
    await expect(redeem({ redirect_uri: undefined })).rejects.toThrow(new InvalidRequest('missing required parameter redirect_uri'));
  });
});

describe('authorization_code grant on a reused code (RFC 6749 §4.1.2, RFC 9700 §4.5)', () => {
  it('refuses a second valid redemption with invalid_grant and revokes the first access token and its refresh tokens', async () => {
    const { redeem, clock, revoked, refreshRevocations, signed } = setup();
    await redeem();
    clock.now = T0 + 10;
    await expectInvalidGrant(redeem(), 'authorization code was already used');
    expect([...revoked]).toEqual([['jti-1', { realmId: USER_REALM.id, expiresAt: T0 + 10 + TTL_SECONDS }]]);
    expect(refreshRevocations).toEqual([CODE_HASH]);
    expect(signed).toHaveLength(1);
  });

  it('revokes even when the reuse comes after the code expired', async () => {
    const { redeem, clock, revoked } = setup();
    await redeem();
    clock.now = T0 + 3_600;
    await expectInvalidGrant(redeem(), 'authorization code was already used');
    expect([...revoked.keys()]).toEqual(['jti-1']);
  });

  it('revokes the access token when no refresh-token revoker is configured', async () => {
    const { redeem, revoked } = setup({ withRefreshRevoker: false });
    await redeem();
    await expectInvalidGrant(redeem(), 'authorization code was already used');
    expect([...revoked.keys()]).toEqual(['jti-1']);
  });

  it('does not revoke anything when the second redemption has a wrong code_verifier', async () => {
    const { redeem, revoked, refreshRevocations } = setup();
    await redeem();
    await expectInvalidGrant(redeem({ code_verifier: 'x'.repeat(43) }), 'code_verifier does not match the code_challenge');
    expect(revoked.size).toBe(0);
    expect(refreshRevocations).toEqual([]);
  });

  it('does not revoke anything when the second redemption comes from another client', async () => {
    const { redeem, revoked, refreshRevocations } = setup();
    await redeem();
    await expectInvalidGrant(redeem({}, OTHER_CLIENT), 'invalid authorization code');
    expect(revoked.size).toBe(0);
    expect(refreshRevocations).toEqual([]);
  });

  it('lets exactly one of two concurrent valid redemptions succeed and revokes what the winner got', async () => {
    const { redeem, revoked, refreshRevocations, signed } = setup();
    const results = await Promise.allSettled([redeem(), redeem()]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(InvalidGrant);
    expect(rejected[0]!.reason).toMatchObject({ message: 'authorization code was already used', detail: 'concurrent code redemption lost the race' });
    expect(signed.map((call) => call.claims.jti)).toEqual(['jti-1']);
    expect([...revoked.keys()]).toEqual(['jti-1']);
    expect(refreshRevocations).toEqual([CODE_HASH]);
  });
});
