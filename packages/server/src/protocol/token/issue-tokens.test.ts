import { describe, expect, it } from 'vitest';
import type { Client } from '../model.js';
import { hashOpaqueSecret } from '../secrets.js';
import {
  createRecordingRandom,
  createRecordingSigner,
  createTestClock,
  seedClient,
  SEED_CUSTOMER_REALM,
  SEED_TENANT,
  SHORT_REFRESH_POLICY,
  T0,
} from '../testing/fakes.js';
import { mintTokens, newRefreshToken, type TokenGrant, type TokenIssuerDeps } from './issue-tokens.js';

const CLIENT: Client = seedClient({ scopes: ['core.aiservices.read'], refreshTokens: SHORT_REFRESH_POLICY });
const ACCESS_TOKEN = 'header.payload.signature';

function issuer() {
  const signer = createRecordingSigner({ accessToken: () => ACCESS_TOKEN, idToken: 'signed-id-token' });
  const random = createRecordingRandom(() => 'A'.repeat(43));
  const deps: TokenIssuerDeps = {
    signer,
    clock: createTestClock(),
    random,
    accessTokenTtlSeconds: 600,
    idTokenTtlSeconds: 120,
  };
  return { deps, signed: signer.signed, randomBytes: random.drawnBytes };
}

function grant(scopes: readonly string[]): TokenGrant {
  return {
    realm: SEED_CUSTOMER_REALM,
    tenant: SEED_TENANT,
    client: CLIENT,
    userId: 'customer-7',
    scopes,
    authTime: T0 - 45,
    jti: 'jti-abc',
  };
}

describe('mintTokens', () => {
  it('returns the Bearer access token with its lifetime and scope, and when it expires', async () => {
    const { deps, signed } = issuer();
    expect(await mintTokens(deps, grant(['core.aiservices.read']), undefined)).toEqual({
      response: { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 600, scope: 'core.aiservices.read' },
      accessTokenExpiresAt: T0 + 600,
    });
    expect(signed).toEqual([
      {
        tenantId: SEED_TENANT.id,
        typ: 'at+jwt',
        claims: {
          iss: SEED_CUSTOMER_REALM.issuer,
          sub: 'customer-7',
          aud: SEED_TENANT.apiDomain,
          client_id: CLIENT.clientId,
          scope: 'core.aiservices.read',
          iat: T0,
          exp: T0 + 600,
          jti: 'jti-abc',
          auth_time: T0 - 45,
          tenant_id: SEED_TENANT.id,
          actor: 'customer',
        },
      },
    ]);
  });

  it('signs an id_token with typ JWT for the client when asked and the scopes include openid', async () => {
    const { deps, signed } = issuer();
    const { response } = await mintTokens(deps, grant(['openid', 'profile']), { nonce: 'abc' });
    expect(response).toEqual({
      access_token: ACCESS_TOKEN,
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'openid profile',
      id_token: 'signed-id-token',
    });
    expect(signed[1]).toEqual({
      tenantId: SEED_TENANT.id,
      typ: 'JWT',
      alg: 'RS256',
      claims: {
        iss: SEED_CUSTOMER_REALM.issuer,
        sub: 'customer-7',
        aud: CLIENT.clientId,
        iat: T0,
        exp: T0 + 120,
        auth_time: T0 - 45,
        nonce: 'abc',
        at_hash: 'JW0E205eSsMIdR7QiFtyKw',
      },
    });
  });

  it('signs no id_token without openid, even when asked', async () => {
    const { deps, signed } = issuer();
    const { response } = await mintTokens(deps, grant(['profile', 'email']), { nonce: 'abc' });
    expect(response).not.toHaveProperty('id_token');
    expect(signed).toHaveLength(1);
  });

  it('signs no id_token when not asked (a refresh), even with openid', async () => {
    const { deps, signed } = issuer();
    const { response } = await mintTokens(deps, grant(['openid']), undefined);
    expect(response).not.toHaveProperty('id_token');
    expect(signed).toHaveLength(1);
  });
});

describe('newRefreshToken', () => {
  const fields = {
    familyId: 'family-1',
    realmId: SEED_CUSTOMER_REALM.id,
    tenantId: SEED_TENANT.id,
    clientId: CLIENT.clientId,
    userId: 'customer-7',
    sessionId: null,
    codeHash: null,
    scopes: ['core.aiservices.read'],
    authTime: T0 - 45,
    familyCreatedAt: T0,
    familyExpiresAt: T0 + 3_600,
    idleExpiresAt: T0 + 600,
    createdAt: T0,
    accessTokenJti: 'jti-abc',
    accessTokenExpiresAt: T0 + 600,
  };

  it('draws 32 random bytes (256 bits) and stores only the SHA-256 of the token, live and with nothing sealed', () => {
    const { deps, randomBytes } = issuer();
    const { token, record } = newRefreshToken(deps.random, fields);
    expect(randomBytes).toEqual([32]);
    expect(token).toBe('A'.repeat(43));
    expect(record).toEqual({
      ...fields,
      tokenHash: hashOpaqueSecret(token),
      rotatedAt: null,
      revokedAt: null,
      successorSealed: null,
    });
    expect(Object.values(record)).not.toContain(token);
  });
});
