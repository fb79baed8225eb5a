import { createLocalJWKSet, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setUserDisabled } from '../../src/admin/users.js';
import { jwtPayload, obtainTokens, postForm } from '../support/browser.js';
import { AGENT, ISSUER_U, SEED_CLIENT_ID, seedAuthorizeParams, TENANT, useTestServer } from '../support/harness.js';

const server = useTestServer('each');

function userinfo(token?: string, method: 'GET' | 'POST' = 'GET', headers: Record<string, string> = {}) {
  return server.app.inject({
    method,
    url: `/system/auth/${TENANT}-U/oauth2/userinfo`,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
}

describe('OpenID Connect: id_token', () => {
  it('issues an RS256 id_token (the default for a client that names none) with nonce, auth_time and at_hash when openid is requested', async () => {
    const tokens = await obtainTokens(
      server.app,
      ISSUER_U,
      seedAuthorizeParams({ scope: 'openid profile email core.aiservices.read', nonce: 'n-0S6_WzA2Mj' }),
      AGENT,
    );
    expect(tokens.scope).toBe('openid profile email core.aiservices.read');
    const jwks = createLocalJWKSet(
      (await server.app.inject({ method: 'GET', url: `/system/auth/${TENANT}-U/oauth2/jwks` })).json(),
    );
    const { payload, protectedHeader } = await jwtVerify(String(tokens.id_token), jwks, {
      issuer: ISSUER_U,
      audience: SEED_CLIENT_ID,
      currentDate: new Date(server.clock.now * 1000),
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    const expectedAtHash = createHash('sha256')
      .update(String(tokens.access_token))
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    expect(payload).toMatchObject({
      iss: ISSUER_U,
      aud: SEED_CLIENT_ID,
      nonce: 'n-0S6_WzA2Mj',
      at_hash: expectedAtHash,
      iat: server.clock.now,
      exp: server.clock.now + 300,
    });
    expect(payload.sub).toBe(jwtPayload(String(tokens.access_token)).sub);
    expect(typeof payload.auth_time).toBe('number');
  });

  it('issues no id_token without openid', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    expect(tokens.id_token).toBeUndefined();
  });

  it('omits nonce when none was sent', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    expect(jwtPayload(String(tokens.id_token)).nonce).toBeUndefined();
  });

  it('shows the OpenID scopes in plain words on the consent page', async () => {
    const { TestBrowser, authorizeUrl, hiddenInput } = await import('../support/browser.js');
    const browser = new TestBrowser(server.app);
    const toLogin = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ scope: 'openid email' })));
    const page = await browser.get(toLogin.headers.location as string);
    const login = await browser.postForm(`${ISSUER_U}/login`, {
      request: hiddenInput(page.body, 'request'),
      csrf_token: hiddenInput(page.body, 'csrf_token'),
      ...AGENT,
    });
    const consent = await browser.get(login.headers.location as string);
    expect(consent.body).toContain('Confirm who you are');
    expect(consent.body).toContain('See your email address');
  });
});

describe('OpenID Connect: userinfo', () => {
  it('returns sub, preferred_username and email for openid profile email (GET and POST)', async () => {
    const tokens = await obtainTokens(
      server.app,
      ISSUER_U,
      seedAuthorizeParams({ scope: 'openid profile email' }),
      AGENT,
    );
    for (const method of ['GET', 'POST'] as const) {
      const response = await userinfo(String(tokens.access_token), method);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        sub: jwtPayload(String(tokens.access_token)).sub,
        preferred_username: 'agent',
        email: 'agent@example.test',
        email_verified: false,
      });
    }
  });

  it('returns only sub for openid alone', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    expect(Object.keys((await userinfo(String(tokens.access_token))).json())).toEqual(['sub']);
  });

  it('answers 403 insufficient_scope for a token without openid', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    const response = await userinfo(String(tokens.access_token));
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe('insufficient_scope');
    expect(response.headers['www-authenticate']).toBe(
      `Bearer realm="${ISSUER_U}", error="insufficient_scope", error_description="the access token lacks the openid scope", scope="openid"`,
    );
  });

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const response = await userinfo();
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="${ISSUER_U}"`);
  });

  it('answers 401 invalid_token for a tampered, expired or revoked token', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    const token = String(tokens.access_token);
    const tampered = await userinfo(`${token.slice(0, -4)}AAAA`);
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().error).toBe('invalid_token');
    expect(tampered.headers['www-authenticate']).toMatch(
      /^Bearer realm="[^"]+", error="invalid_token", error_description="[^"]+"$/,
    );
    await postForm(server.app, ISSUER_U, '/oauth2/revoke', { token, client_id: SEED_CLIENT_ID });
    expect((await userinfo(token)).statusCode).toBe(401);
  });

  it('answers 401 invalid_token once the account is disabled', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    await setUserDisabled(server.context, { tenant: TENANT, actor: 'user', username: AGENT.username }, true);
    expect((await userinfo(String(tokens.access_token))).statusCode).toBe(401);
  });

  it('ignores a token in the query string', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    const response = await server.app.inject({
      method: 'GET',
      url: `/system/auth/${TENANT}-U/oauth2/userinfo?access_token=${String(tokens.access_token)}`,
    });
    expect(response.statusCode).toBe(401);
  });

  it('allows CORS from the client origin', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams({ scope: 'openid' }), AGENT);
    const response = await userinfo(String(tokens.access_token), 'GET', { origin: 'http://localhost:5173' });
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(response.headers['access-control-expose-headers']).toBe('WWW-Authenticate');
    const rejected = await userinfo('not-a-token', 'GET', { origin: 'http://localhost:5173' });
    expect(rejected.statusCode).toBe(401);
    expect(rejected.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: `/system/auth/${TENANT}-U/oauth2/userinfo`,
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
  });
});
