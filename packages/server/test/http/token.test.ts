import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { exchangeCode, redirectParams, signInAndAllow, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  API_DOMAIN,
  CUSTOMER,
  ISSUER_C,
  ISSUER_U,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_VERIFIER,
  seedAuthorizeParams,
  TENANT,
  USER_ONLY_CLIENT_ID,
  useTestServer,
} from '../support/harness.js';

const server = useTestServer('each');

async function obtainCode(
  issuer = ISSUER_U,
  overrides: Record<string, string | undefined> = {},
  credentials = AGENT,
): Promise<string> {
  const response = await signInAndAllow(
    new TestBrowser(server.app),
    issuer,
    seedAuthorizeParams(overrides),
    credentials,
  );
  return redirectParams(response).get('code')!;
}

/** The seed document's curl body, with the real code. */
function seedTokenForm(code: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const form: Record<string, string | undefined> = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: SEED_REDIRECT_URI,
    client_id: SEED_CLIENT_ID,
    code_verifier: SEED_VERIFIER,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function jwks(issuer: string) {
  const response = await server.app.inject({ method: 'GET', url: `${new URL(issuer).pathname}/oauth2/jwks` });
  return createLocalJWKSet(response.json());
}

describe('token endpoint: authorization_code grant', () => {
  it('exchanges a code exactly as the seed curl does and returns an RFC 9068 access token', async () => {
    const code = await obtainCode();
    const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(body.refresh_token).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(900);
    expect(body.scope).toBe('core.aiservices.read core.aiservices.write');

    const header = decodeProtectedHeader(body.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(header.kid).toBeTruthy();
    const { payload } = await jwtVerify(body.access_token, await jwks(ISSUER_U), {
      issuer: ISSUER_U,
      audience: API_DOMAIN,
      typ: 'at+jwt',
      currentDate: new Date(server.clock.now * 1000),
    });
    expect(payload).toMatchObject({
      iss: ISSUER_U,
      aud: API_DOMAIN,
      client_id: SEED_CLIENT_ID,
      scope: 'core.aiservices.read core.aiservices.write',
      tenant_id: TENANT,
      actor: 'user',
      iat: server.clock.now,
      exp: server.clock.now + 900,
    });
    expect(payload.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.jti).toBeTruthy();
  });

  it('issues customer tokens with actor customer and the customer realm issuer', async () => {
    const code = await obtainCode(ISSUER_C, {}, CUSTOMER);
    const response = await exchangeCode(server.app, ISSUER_C, seedTokenForm(code));
    expect(response.statusCode).toBe(200);
    const { payload } = await jwtVerify(response.json().access_token, await jwks(ISSUER_C), {
      issuer: ISSUER_C,
      currentDate: new Date(server.clock.now * 1000),
    });
    expect(payload.actor).toBe('customer');
  });

  it('grants only the scopes requested when a subset was asked for', async () => {
    const code = await obtainCode(ISSUER_U, { scope: 'core.aiservices.read' });
    const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code));
    expect(response.json().scope).toBe('core.aiservices.read');
  });

  it('rejects a reused code with invalid_grant and revokes the token issued from it', async () => {
    const code = await obtainCode();
    const first = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code));
    expect(first.statusCode).toBe(200);
    const { jti } = JSON.parse(Buffer.from(first.json().access_token.split('.')[1], 'base64url').toString());
    expect(await server.context.repos.revokedTokens.isAccessTokenRevoked(jti)).toBe(false);
    const second = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code));
    expect(second.statusCode).toBe(400);
    expect(second.json().error).toBe('invalid_grant');
    expect(await server.context.repos.revokedTokens.isAccessTokenRevoked(jti)).toBe(true);
  });

  it('does not revoke anything when a reused code comes with a wrong verifier', async () => {
    const code = await obtainCode();
    const first = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code));
    const { jti } = JSON.parse(Buffer.from(first.json().access_token.split('.')[1], 'base64url').toString());
    const second = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code, { code_verifier: 'x'.repeat(43) }));
    expect(second.json().error).toBe('invalid_grant');
    expect(await server.context.repos.revokedTokens.isAccessTokenRevoked(jti)).toBe(false);
  });

  const invalidGrantCases: [string, Record<string, string | undefined>][] = [
    ['a wrong code_verifier', { code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl' }],
    ['a missing code_verifier', { code_verifier: undefined }],
    ['a too-short code_verifier', { code_verifier: 'short' }],
    ['a code_verifier with forbidden characters', { code_verifier: `${'a'.repeat(42)}+` }],
    ['the challenge sent as the verifier', { code_verifier: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' }],
    ['a different registered redirect_uri', { redirect_uri: 'http://localhost:5173/callback' }],
    ['a redirect_uri with a trailing slash', { redirect_uri: `${SEED_REDIRECT_URI}/` }],
    ['an unknown code', { code: 'def456-gh-ijkl-789-mnopqr' }],
  ];
  for (const [name, overrides] of invalidGrantCases) {
    it(`answers 400 invalid_grant for ${name}`, async () => {
      const code = await obtainCode();
      const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code, overrides));
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('invalid_grant');
      expect(response.headers['cache-control']).toBe('no-store');
      // The code survives a failed attempt and still works with the right values.
      const retry = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code));
      expect(retry.statusCode).toBe(200);
    });
  }

  it('answers invalid_grant for a code issued to another client', async () => {
    const code = await obtainCode(ISSUER_U, { client_id: USER_ONLY_CLIENT_ID });
    const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_grant');
  });

  it('answers invalid_grant for a code presented to another realm', async () => {
    const code = await obtainCode(ISSUER_U);
    const response = await exchangeCode(server.app, ISSUER_C, seedTokenForm(code));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_grant');
  });

  it('answers invalid_grant for a code older than 60 seconds', async () => {
    const code = await obtainCode();
    server.clock.advance(60);
    const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_grant');
  });

  it('accepts a code 59 seconds old', async () => {
    const code = await obtainCode();
    server.clock.advance(59);
    expect((await exchangeCode(server.app, ISSUER_U, seedTokenForm(code))).statusCode).toBe(200);
  });

  it('stores only the SHA-256 of the code', async () => {
    const code = await obtainCode();
    const rows = await server.database.db.selectFrom('authorization_codes').selectAll().execute();
    expect(rows).toHaveLength(1);
    // The key keeps the code's issue-time prefix (not secret); the 256 random bits after it are not stored.
    expect(JSON.stringify(rows)).not.toContain(code.slice(12));
    expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.code_hash.slice(0, 12)).toBe(code.slice(0, 12));
  });
});

describe('token endpoint: request errors', () => {
  it('answers unsupported_grant_type for an unknown grant', async () => {
    const response = await exchangeCode(server.app, ISSUER_U, {
      grant_type: 'password',
      client_id: SEED_CLIENT_ID,
      username: 'a',
      password: 'b',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('unsupported_grant_type');
  });

  it('answers invalid_request for a missing grant_type', async () => {
    const response = await exchangeCode(server.app, ISSUER_U, { client_id: SEED_CLIENT_ID, code: 'x' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  for (const missing of ['code', 'redirect_uri']) {
    it(`answers invalid_request for a missing ${missing}`, async () => {
      const code = await obtainCode();
      const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code, { [missing]: undefined }));
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('invalid_request');
    });
  }

  for (const repeated of ['grant_type', 'code', 'code_verifier', 'client_id', 'redirect_uri']) {
    it(`answers invalid_request for a repeated ${repeated}`, async () => {
      const code = await obtainCode();
      const form = seedTokenForm(code);
      const body = `${new URLSearchParams(form).toString()}&${repeated}=${encodeURIComponent(form[repeated]!)}`;
      const response = await server.app.inject({
        method: 'POST',
        url: `/system/auth/${TENANT}-U/oauth2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('invalid_request');
    });
  }

  it('answers 401 invalid_client for an unknown client', async () => {
    const code = await obtainCode();
    const response = await exchangeCode(
      server.app,
      ISSUER_U,
      seedTokenForm(code, { client_id: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('invalid_client');
  });

  it('answers 400 invalid_request for a missing client_id', async () => {
    const code = await obtainCode();
    const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code, { client_id: undefined }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('answers 401 invalid_client with WWW-Authenticate for a confidential client with a wrong Basic secret', async () => {
    const basic = Buffer.from(`${server.webClient.clientId}:wrong`).toString('base64');
    const response = await exchangeCode(
      server.app,
      ISSUER_U,
      {
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: 'https://backend.example.test/cb',
        code_verifier: SEED_VERIFIER,
      },
      { authorization: `Basic ${basic}` },
    );
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('invalid_client');
    expect(response.headers['www-authenticate']).toBe('Basic realm="gatehouse", charset="UTF-8"');
  });

  it('authenticates a confidential client with client_secret_basic and then checks the grant', async () => {
    const basic = Buffer.from(`${server.webClient.clientId}:${server.webClient.secret}`).toString('base64');
    const response = await exchangeCode(
      server.app,
      ISSUER_U,
      {
        grant_type: 'authorization_code',
        code: 'unknown',
        redirect_uri: 'https://backend.example.test/cb',
        code_verifier: SEED_VERIFIER,
      },
      { authorization: `Basic ${basic}` },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_grant');
  });

  it('answers 400 invalid_request for a JSON body', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: `/system/auth/${TENANT}-U/oauth2/token`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ grant_type: 'authorization_code' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('answers 400 invalid_request for an unsupported content type', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: `/system/auth/${TENANT}-U/oauth2/token`,
      headers: { 'content-type': 'text/xml' },
      payload: '<x/>',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('answers 400 invalid_request for a malformed JSON body, without a stack trace', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: `/system/auth/${TENANT}-U/oauth2/token`,
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'malformed request' });
  });

  it('answers GET with 405 and Allow: POST', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/system/auth/${TENANT}-U/oauth2/token` });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST, OPTIONS');
    expect(response.json().error).toBe('invalid_request');
  });

  it('answers 404 for an unknown realm', async () => {
    const response = await exchangeCode(server.app, 'http://localhost:8080/system/auth/NOPE-U', {
      grant_type: 'authorization_code',
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('token endpoint: CORS', () => {
  it('answers a preflight from a registered redirect origin', async () => {
    const response = await server.app.inject({
      method: 'OPTIONS',
      url: `/system/auth/${TENANT}-U/oauth2/token`,
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(response.headers['access-control-allow-methods']).toBe('POST');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('sends no CORS headers to a foreign origin', async () => {
    const response = await server.app.inject({
      method: 'OPTIONS',
      url: `/system/auth/${TENANT}-U/oauth2/token`,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("allows the client's own origin on the token response, never with credentials", async () => {
    const code = await obtainCode();
    const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code), {
      origin: 'https://oauth.pstmn.io',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://oauth.pstmn.io');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('does not allow a foreign origin on the token response', async () => {
    const code = await obtainCode();
    const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm(code), { origin: 'https://evil.example' });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets the SPA read an error response', async () => {
    const response = await exchangeCode(server.app, ISSUER_U, seedTokenForm('nope'), {
      origin: 'http://localhost:5173',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });
});
