import { describe, expect, it } from 'vitest';
import type { Client, Realm, Tenant } from '../model.js';
import { hashOpaqueSecret } from '../secrets.js';
import { mintTokens, newRefreshToken, type TokenGrant, type TokenIssuerDeps } from './issue-tokens.js';

const T0 = 1_750_000_000;
const TENANT: Tenant = { id: 'TMPRODB88619984', name: 'Demo Tenant', apiDomain: 'https://api.example.com' };
const REALM: Realm = { id: 'TMPRODB88619984-C', tenantId: TENANT.id, actor: 'customer', issuer: 'https://ai.egain.cloud/system/auth/TMPRODB88619984-C' };
const CLIENT: Client = {
  clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  tenantId: TENANT.id,
  name: 'Demo SPA',
  platform: 'spa',
  resourceType: 'global',
  redirectUris: ['https://oauth.pstmn.io/v1/callback'],
  scopes: ['core.aiservices.read'],
  consentMode: 'required',
  secretHash: null,
  postLogoutRedirectUris: [],
  refreshTokens: { enabled: true, absoluteTtlSeconds: 3_600, idleTtlSeconds: 600, graceSeconds: 0 },
  disabled: false,
};
const ACCESS_TOKEN = 'header.payload.signature';

function issuer() {
  const signed: { tenantId: string; typ: string; claims: Record<string, unknown> }[] = [];
  const randomBytes: number[] = [];
  const deps: TokenIssuerDeps = {
    signer: {
      async signAccessToken(tenantId, claims) {
        signed.push({ tenantId, typ: 'at+jwt', claims });
        return ACCESS_TOKEN;
      },
      async sign(tenantId, claims, typ) {
        signed.push({ tenantId, typ, claims });
        return 'signed-id-token';
      },
    },
    clock: { nowSeconds: () => T0 },
    random: {
      token: (bytes) => {
        randomBytes.push(bytes);
        return 'A'.repeat(43);
      },
      uuid: () => 'unused',
    },
    accessTokenTtlSeconds: 600,
    idTokenTtlSeconds: 120,
  };
  return { deps, signed, randomBytes };
}

function grant(scopes: readonly string[]): TokenGrant {
  return { realm: REALM, tenant: TENANT, client: CLIENT, userId: 'customer-7', scopes, authTime: T0 - 45, jti: 'jti-abc' };
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
        tenantId: TENANT.id,
        typ: 'at+jwt',
        claims: {
          iss: REALM.issuer,
          sub: 'customer-7',
          aud: TENANT.apiDomain,
          client_id: CLIENT.clientId,
          scope: 'core.aiservices.read',
          iat: T0,
          exp: T0 + 600,
          jti: 'jti-abc',
          auth_time: T0 - 45,
          tenant_id: TENANT.id,
          actor: 'customer',
        },
      },
    ]);
  });

  it('signs an id_token with typ JWT for the client when asked and the scopes include openid', async () => {
    const { deps, signed } = issuer();
    const { response } = await mintTokens(deps, grant(['openid', 'profile']), { nonce: 'abc' });
    expect(response).toEqual({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 600, scope: 'openid profile', id_token: 'signed-id-token' });
    expect(signed[1]).toEqual({
      tenantId: TENANT.id,
      typ: 'JWT',
      claims: {
        iss: REALM.issuer,
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
    realmId: REALM.id,
    tenantId: TENANT.id,
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
    expect(record).toEqual({ ...fields, tokenHash: hashOpaqueSecret(token), rotatedAt: null, revokedAt: null, successorSealed: null });
    expect(Object.values(record)).not.toContain(token);
  });
});
