import { beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, obtainTokens, postForm } from '../support/browser.js';
import {
  AGENT,
  ISSUER_U,
  SEED_CLIENT_ID,
  seedAuthorizeParams,
  TENANT,
  USER_ONLY_CLIENT_ID,
  useTestServer,
} from '../support/harness.js';

const server = useTestServer('each');
let tokens: Record<string, string | number>;
beforeEach(async () => {
  tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
});

const revoke = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  postForm(server.app, ISSUER_U, '/oauth2/revoke', form, headers);
const introspect = (token: string, headers?: Record<string, string>) =>
  postForm(
    server.app,
    ISSUER_U,
    '/oauth2/introspect',
    { token },
    headers ?? { authorization: basicAuth(server.webClient.clientId, server.webClient.secret) },
  );
const refresh = (refreshToken: string) =>
  postForm(server.app, ISSUER_U, '/oauth2/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: SEED_CLIENT_ID,
  });

describe('revocation endpoint (RFC 7009)', () => {
  it('revokes a refresh token with its family and the access tokens issued from it: 200 {} as JSON', async () => {
    const response = await revoke({
      token: String(tokens.refresh_token),
      token_type_hint: 'refresh_token',
      client_id: SEED_CLIENT_ID,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({});
    expect((await refresh(String(tokens.refresh_token))).json().error).toBe('invalid_grant');
    expect((await introspect(String(tokens.access_token))).json()).toEqual({ active: false });
  });

  it('revokes an access token by its jti until it expires', async () => {
    expect((await introspect(String(tokens.access_token))).json().active).toBe(true);
    const response = await revoke({ token: String(tokens.access_token), client_id: SEED_CLIENT_ID });
    expect(response.statusCode).toBe(200);
    expect((await introspect(String(tokens.access_token))).json()).toEqual({ active: false });
    // Only the access token: the refresh token still works.
    expect((await refresh(String(tokens.refresh_token))).statusCode).toBe(200);
  });

  it('answers 200 for an unknown token', async () => {
    const response = await revoke({ token: 'no-such-token', client_id: SEED_CLIENT_ID });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
  });

  it("refuses another client's token with 400 and leaves it alone", async () => {
    const response = await revoke({ token: String(tokens.refresh_token), client_id: USER_ONLY_CLIENT_ID });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
    expect((await refresh(String(tokens.refresh_token))).statusCode).toBe(200);
    const access = await revoke({ token: String(tokens.access_token), client_id: USER_ONLY_CLIENT_ID });
    expect(access.statusCode).toBe(400);
    expect((await introspect(String(tokens.access_token))).json().active).toBe(true);
  });

  it('answers GET with 405', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/system/auth/${TENANT}-U/oauth2/revoke` });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST, OPTIONS');
  });

  it('answers a missing token with invalid_request and an unknown client with 401 invalid_client', async () => {
    expect((await revoke({ client_id: SEED_CLIENT_ID })).json().error).toBe('invalid_request');
    const unknown = await revoke({ token: 'x', client_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toBe('invalid_client');
  });

  it('allows CORS from the client origin, like the token endpoint', async () => {
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: `/system/auth/${TENANT}-U/oauth2/revoke`,
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const response = await revoke({ token: 'x', client_id: SEED_CLIENT_ID }, { origin: 'http://localhost:5173' });
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const foreign = await revoke({ token: 'x', client_id: SEED_CLIENT_ID }, { origin: 'https://evil.example' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('introspection endpoint (RFC 7662)', () => {
  it('describes an active access token to a confidential client', async () => {
    const response = await introspect(String(tokens.access_token));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({
      active: true,
      token_type: 'Bearer',
      scope: 'core.aiservices.read core.aiservices.write',
      client_id: SEED_CLIENT_ID,
      iss: ISSUER_U,
      aud: 'https://api.example.test',
      tenant_id: TENANT,
      actor: 'user',
      exp: server.clock.now + 900,
    });
  });

  it('describes an active refresh token, and a rotated one as inactive', async () => {
    const active = (await introspect(String(tokens.refresh_token))).json();
    expect(active).toMatchObject({ active: true, token_type: 'refresh_token', client_id: SEED_CLIENT_ID });
    await refresh(String(tokens.refresh_token));
    expect((await introspect(String(tokens.refresh_token))).json()).toEqual({ active: false });
  });

  it('says only active:false for an expired access token', async () => {
    server.clock.advance(900);
    expect((await introspect(String(tokens.access_token))).json()).toEqual({ active: false });
  });

  it('says only active:false for garbage', async () => {
    expect((await introspect('not.a.token')).json()).toEqual({ active: false });
  });

  it('refuses a public client with 401 invalid_client', async () => {
    const response = await postForm(server.app, ISSUER_U, '/oauth2/introspect', {
      token: String(tokens.access_token),
      client_id: SEED_CLIENT_ID,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('invalid_client');
  });

  it('refuses a wrong secret with 401 invalid_client and WWW-Authenticate', async () => {
    const response = await introspect(String(tokens.access_token), {
      authorization: basicAuth(server.webClient.clientId, 'wrong'),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="gatehouse", charset="UTF-8"');
  });

  it('refuses an unauthenticated request with 400 invalid_request (no client named)', async () => {
    const response = await postForm(server.app, ISSUER_U, '/oauth2/introspect', { token: String(tokens.access_token) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });
});
