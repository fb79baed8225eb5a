import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/admin/clients.js';
import { AdminInputError } from '../../src/admin/errors.js';
import { rotateKeys } from '../../src/admin/keys.js';
import { obtainTokens, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  ISSUER_U,
  LOCAL_REDIRECT_URI,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  seedAuthorizeParams,
  TENANT,
  useTestServer,
} from '../support/harness.js';

/**
 * Issue 12, found 7: ID Tokens are RS256 unless the client registered ES256 (OpenID Connect
 * Dynamic Client Registration 1.0 §2), both keys are published and rotated; access tokens stay
 * ES256 (RFC 9068, our choice).
 */
const server = useTestServer('each');
const PATH = new URL(ISSUER_U).pathname;

async function jwks() {
  return (await server.app.inject({ method: 'GET', url: `${PATH}/oauth2/jwks` })).json();
}

async function es256Client(): Promise<string> {
  const { client } = await createClient(server.context, {
    tenant: TENANT,
    name: 'ES256 App',
    platform: 'spa',
    resourceType: 'global',
    redirectUris: [SEED_REDIRECT_URI],
    scopes: ['core.aiservices.read'],
    idTokenAlg: 'ES256',
  });
  return client.clientId;
}

describe('ID Token signing algorithm per client', () => {
  it('signs ID Tokens with RS256 for a client that named no algorithm, and access tokens with ES256', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    expect(decodeProtectedHeader(String(tokens.id_token)).alg).toBe('RS256');
    expect(decodeProtectedHeader(String(tokens.access_token)).alg).toBe('ES256');
    const { payload } = await jwtVerify(String(tokens.id_token), createLocalJWKSet(await jwks()), {
      issuer: ISSUER_U,
      audience: SEED_CLIENT_ID,
      algorithms: ['RS256'],
      currentDate: new Date(server.clock.now * 1000),
    });
    expect(payload.aud).toBe(SEED_CLIENT_ID);
  });

  it('signs ID Tokens with ES256 for a client registered with --id-token-alg ES256', async () => {
    const clientId = await es256Client();
    const tokens = await obtainTokens(
      server.app,
      ISSUER_U,
      seedAuthorizeParams({ client_id: clientId, scope: 'openid core.aiservices.read' }),
      AGENT,
    );
    expect(decodeProtectedHeader(String(tokens.id_token)).alg).toBe('ES256');
    await jwtVerify(String(tokens.id_token), createLocalJWKSet(await jwks()), {
      issuer: ISSUER_U,
      audience: clientId,
      algorithms: ['ES256'],
      currentDate: new Date(server.clock.now * 1000),
    });
  });

  it('shows the algorithm in the client metadata and refuses any other algorithm', async () => {
    const created = await createClient(server.context, {
      tenant: TENANT,
      name: 'Default App',
      platform: 'spa',
      resourceType: 'global',
      redirectUris: [LOCAL_REDIRECT_URI],
      scopes: ['core.aiservices.read'],
    });
    expect(created.metadata.id_token_signed_response_alg).toBe('RS256');
    for (const idTokenAlg of ['PS256', 'none', 'HS256', 'rs256']) {
      await expect(
        createClient(server.context, {
          tenant: TENANT,
          name: 'Bad App',
          platform: 'spa',
          resourceType: 'global',
          redirectUris: [LOCAL_REDIRECT_URI],
          scopes: ['core.aiservices.read'],
          idTokenAlg,
        }),
      ).rejects.toThrow(AdminInputError);
    }
  });

  it('rotates the RS256 key with the ES256 one and keeps the old ID Tokens verifiable until they retire', async () => {
    const before = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    const oldKid = decodeProtectedHeader(String(before.id_token)).kid;
    const { kids } = await rotateKeys(server.context, { tenant: TENANT });
    expect(kids.RS256).not.toBe(oldKid);
    const after = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    expect(decodeProtectedHeader(String(after.id_token)).kid).toBe(kids.RS256);
    const published = (await jwks()).keys.map((key: { kid: string }) => key.kid);
    expect(published).toEqual(expect.arrayContaining([oldKid, kids.RS256, kids.ES256]));
  });

  it('accepts an RS256 ID Token as id_token_hint at logout and signs out without asking', async () => {
    const browser = new TestBrowser(server.app);
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT, browser);
    const logout = await browser.get(
      `${ISSUER_U}/oauth2/logout?${new URLSearchParams({ id_token_hint: String(tokens.id_token) })}`,
    );
    expect(logout.statusCode).toBe(200);
    expect(logout.body).not.toContain('<form');
  });

  it('lists RS256 and ES256 in discovery (OIDC Discovery 1.0 §3: RS256 MUST be included)', async () => {
    const metadata = (
      await server.app.inject({ method: 'GET', url: `${PATH}/.well-known/openid-configuration` })
    ).json();
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['RS256', 'ES256']);
    expect(metadata.access_token_signing_alg_values_supported).toEqual(['ES256']);
  });
});
