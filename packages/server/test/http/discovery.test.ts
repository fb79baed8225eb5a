import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { rotateKeys } from '../../src/admin/keys.js';
import { exchangeCode, redirectParams, signInAndAllow, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  ISSUER_C,
  ISSUER_U,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_VERIFIER,
  seedAuthorizeParams,
  TENANT,
  useTestServer,
} from '../support/harness.js';

const server = useTestServer('all');

describe('discovery (RFC 8414)', () => {
  const paths = [
    `/.well-known/oauth-authorization-server/system/auth/${TENANT}-U`,
    `/system/auth/${TENANT}-U/.well-known/openid-configuration`,
  ];
  for (const path of paths) {
    it(`serves the realm metadata at ${path}`, async () => {
      const response = await server.app.inject({ method: 'GET', url: path });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      const metadata = response.json();
      expect(metadata).toMatchObject({
        issuer: ISSUER_U,
        authorization_endpoint: `${ISSUER_U}/oauth2/authorize`,
        token_endpoint: `${ISSUER_U}/oauth2/token`,
        jwks_uri: `${ISSUER_U}/oauth2/jwks`,
        response_types_supported: ['code'],
        userinfo_endpoint: `${ISSUER_U}/oauth2/userinfo`,
        revocation_endpoint: `${ISSUER_U}/oauth2/revoke`,
        introspection_endpoint: `${ISSUER_U}/oauth2/introspect`,
        end_session_endpoint: `${ISSUER_U}/oauth2/logout`,
        grant_types_supported: ['authorization_code', 'refresh_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
        authorization_response_iss_parameter_supported: true,
      });
      expect(metadata.scopes_supported).toEqual(
        expect.arrayContaining([
          'openid',
          'profile',
          'email',
          'offline_access',
          'core.aiservices.read',
          'core.aiservices.write',
        ]),
      );
    });
  }

  it('has its own issuer per realm', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: `/system/auth/${TENANT}-C/.well-known/openid-configuration`,
    });
    expect(response.json().issuer).toBe(ISSUER_C);
  });

  it('ignores forged Host and X-Forwarded-* headers', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: `/system/auth/${TENANT}-U/.well-known/openid-configuration`,
      headers: {
        host: 'evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        forwarded: 'host=evil.example',
      },
    });
    expect(JSON.stringify(response.json())).not.toContain('evil.example');
    expect(response.json().issuer).toBe(ISSUER_U);
  });

  it('answers 404 for an unknown tenant', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/.well-known/oauth-authorization-server/system/auth/UNKNOWN-U',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('not_found');
  });
});

describe('JWKS and key rotation', () => {
  async function jwks(realm = `${TENANT}-U`) {
    const response = await server.app.inject({ method: 'GET', url: `/system/auth/${realm}/oauth2/jwks` });
    expect(response.statusCode).toBe(200);
    return response.json() as { keys: Record<string, unknown>[] };
  }

  async function issueToken(): Promise<string> {
    const redirect = await signInAndAllow(new TestBrowser(server.app), ISSUER_U, seedAuthorizeParams(), AGENT);
    const code = redirectParams(redirect).get('code')!;
    const response = await exchangeCode(server.app, ISSUER_U, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SEED_REDIRECT_URI,
      client_id: SEED_CLIENT_ID,
      code_verifier: SEED_VERIFIER,
    });
    return response.json().access_token;
  }

  it('publishes public keys only: one ES256 and one RS256 key (issue 12, found 7)', async () => {
    await server.context.keys.ensureKey(TENANT);
    const { keys } = await jwks();
    expect(keys.map((key) => key.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const key of keys) {
      if (key.alg === 'ES256') expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig' });
      else expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(key.kid).toBeTruthy();
      for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key[privatePart]).toBeUndefined();
    }
  });

  it('publishes the same keys in both realms of a tenant', async () => {
    expect(await jwks(`${TENANT}-C`)).toEqual(await jwks(`${TENANT}-U`));
  });

  it('signs with the new key after a rotation and keeps the old key published until it retires', async () => {
    const before = await issueToken();
    const oldKid = decodeProtectedHeader(before).kid;
    const { kid: newKid, kids } = await rotateKeys(server.context, { tenant: TENANT });
    const after = await issueToken();
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect((await jwks()).keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, newKid, kids.RS256]));
    server.clock.advance(server.context.config.retiredKeyPublishSeconds + 1);
    expect((await jwks()).keys.map((key) => key.kid).sort()).toEqual([newKid, kids.RS256].sort());
  });
});
