import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatehouseClient } from './client.js';
import { ConfigurationError, GatehouseError, LoginRequiredError, OAuthError } from './errors.js';
import {
  AUTH_TIME,
  CLIENT_ID,
  REDIRECT_URI,
  SUBJECT,
  USER_PROFILE,
  type IdTokenTampering,
} from './testing/fake-authorization-server.js';
import { OPENID_SCOPE, SCOPE, startHarness, type Harness } from './testing/harness.js';

let h: Harness;
afterEach(() => h.server.close());

const START = Date.UTC(2025, 0, 1) / 1000;
const refreshRequests = () => h.server.tokenRequests.filter((r) => r.grant_type === 'refresh_token');

/** A discovery client asking for OPENID_SCOPE. */
const openidClient = () => h.newClient({ scope: OPENID_SCOPE });

describe('sign-in with openid', () => {
  it('sends a fresh random nonce when the scope includes openid and keeps it with the pending sign-in', async () => {
    h = await startHarness();
    const client = await openidClient();
    const first = new URL(await client.buildAuthorizeUrl());
    const second = new URL(await client.buildAuthorizeUrl());

    expect([...first.searchParams.keys()].sort()).toEqual([
      'client_id',
      'code_challenge',
      'code_challenge_method',
      'nonce',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ]);
    const nonce = first.searchParams.get('nonce')!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.searchParams.get('nonce')).not.toBe(nonce);
    const tx = JSON.parse(h.storage.items.get(`gatehouse.tx.${CLIENT_ID}.${first.searchParams.get('state')}`)!);
    expect(tx.nonce).toBe(nonce);
  });

  it('sends no nonce without openid; then getUser() is undefined and fetchUserInfo() throws ConfigurationError', async () => {
    h = await startHarness();
    const client = await h.newClient({ scope: SCOPE });
    expect(new URL(await client.buildAuthorizeUrl()).searchParams.has('nonce')).toBe(false);
    await h.signIn(client);

    expect(await client.getUser()).toBeUndefined();
    const error = await client.fetchUserInfo().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      code: 'invalid_configuration',
      message: 'fetchUserInfo() needs a sign-in whose scope includes openid',
    });
    expect(h.server.userinfoRequests).toEqual([]);
  });

  it('validates the ID token on the code exchange; getUser() returns its claims', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const client = await openidClient();
    const authorizeUrl = new URL(await client.buildAuthorizeUrl());
    await client.handleRedirectCallback(await h.server.authorize(authorizeUrl.href));

    const [idToken] = h.server.issuedIdTokens;
    const { payload, protectedHeader } = await jwtVerify(idToken!, h.server.publicKey, {
      currentDate: new Date(START * 1000),
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'realm-key-1' });
    expect(await client.getUser()).toEqual({
      iss: h.server.issuer,
      sub: SUBJECT,
      aud: CLIENT_ID,
      exp: START + 300,
      iat: START,
      auth_time: AUTH_TIME,
      nonce: authorizeUrl.searchParams.get('nonce'),
      at_hash: payload.at_hash,
    });
    expect(await client.getClaims()).toMatchObject({ sub: SUBJECT, scope: OPENID_SCOPE });
  });

  it.each<[string, IdTokenTampering, string]>([
    ['another nonce', { claims: { nonce: 'nonce-of-another-sign-in' } }, 'unexpected ID Token "nonce" claim value'],
    ['no nonce', { claims: { nonce: undefined } }, 'JWT "nonce" (nonce) claim missing'],
    ['another audience', { claims: { aud: 'another-client' } }, 'unexpected JWT "aud" (audience) claim value'],
    [
      'an extra audience without azp',
      { claims: { aud: [CLIENT_ID, 'another-client'] } },
      'ID Token "aud" (audience) claim includes additional untrusted audiences',
    ],
    [
      'another issuer',
      { claims: { iss: 'https://attacker.example/system/auth/TEST-U' } },
      'unexpected JWT "iss" (issuer) claim value',
    ],
    ['no sub', { claims: { sub: undefined } }, 'JWT "sub" (subject) claim missing'],
    ['no iat', { claims: { iat: undefined } }, 'JWT "iat" (issued at) claim missing'],
    // By the SDK's clock (the `now` option), beyond oauth4webapi's 30 s tolerance.
    [
      'an exp 31 s in the past',
      { claims: { exp: START - 31 } },
      'unexpected JWT "exp" (expiration time) claim value, expiration is past current timestamp',
    ],
    [
      'a non-numeric auth_time',
      { claims: { auth_time: 'yesterday' } },
      'ID Token "auth_time" (authentication time) must be a number',
    ],
    ['alg none', { header: { alg: 'none' } }, 'unexpected JWT "alg" header parameter'],
    ['no ID token at all', { omit: true }, '"response" body "id_token" property must be a string'],
  ])('refuses an ID token with %s as invalid_response and stays signed out', async (_, tampering, reason) => {
    h = await startHarness();
    const client = await openidClient();
    h.server.tamperNextIdToken(tampering);

    const error = await h.signIn(client).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(GatehouseError);
    expect(error).toMatchObject({
      code: 'invalid_response',
      message: `unexpected response from the authorization server: ${reason}`,
    });
    expect(await client.isAuthenticated()).toBe(false);
    expect(await client.getUser()).toBeUndefined();
  });

  it("accepts an ID token whose exp passed 25 s ago by the SDK clock, inside oauth4webapi's 30 s tolerance", async () => {
    h = await startHarness();
    const client = await openidClient();
    h.server.tamperNextIdToken({ claims: { exp: START - 25 } });
    await h.signIn(client);
    expect(await client.getUser()).toMatchObject({ exp: START - 25 });
  });

  it('keeps the sign-in ID token across refreshes, which carry none, and logout sends it as id_token_hint', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const client = await openidClient();
    await h.signIn(client);
    const user = await client.getUser();

    h.clock.advanceSeconds(280);
    await client.getAccessToken();
    h.clock.advanceSeconds(280);
    await client.getAccessToken();
    expect(refreshRequests()).toHaveLength(2);
    expect(h.server.issuedIdTokens).toHaveLength(1);
    expect(await client.getUser()).toEqual(user);

    await client.logout({ returnTo: 'https://app.example.test/bye' });
    expect(h.server.revocationRequests).toEqual([
      { token: h.server.issuedRefreshTokens[2], token_type_hint: 'refresh_token', client_id: CLIENT_ID },
    ]);
    const endSession = new URL(h.location.assigned[0]!);
    expect([...endSession.searchParams.keys()]).toEqual([
      'client_id',
      'id_token_hint',
      'post_logout_redirect_uri',
      'state',
    ]);
    expect(endSession.searchParams.get('id_token_hint')).toBe(h.server.issuedIdTokens[0]);
    expect(await client.getUser()).toBeUndefined();
  });

  it('sends id_token_hint and client_id without post_logout_redirect_uri or state when logout has no returnTo', async () => {
    h = await startHarness();
    const client = await openidClient();
    await h.signIn(client);
    await client.logout();
    expect(h.location.assigned).toEqual([
      `${h.server.issuer}/oauth2/logout?client_id=${CLIENT_ID}&id_token_hint=${h.server.issuedIdTokens[0]}`,
    ]);
  });
});

describe('fetchUserInfo', () => {
  it('calls the userinfo endpoint with the access token and returns the claims', async () => {
    h = await startHarness();
    const client = await openidClient();
    await h.signIn(client);
    const accessToken = await client.getAccessToken();

    expect(await client.fetchUserInfo()).toEqual({ sub: SUBJECT, ...USER_PROFILE });
    expect(h.server.userinfoRequests).toEqual([{ method: 'GET', authorization: `Bearer ${accessToken}` }]);
  });

  it('refreshes an access token inside the leeway window before calling userinfo', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const client = await openidClient();
    await h.signIn(client);
    const first = await client.getAccessToken();
    h.clock.advanceSeconds(280);

    await client.fetchUserInfo();

    expect(refreshRequests()).toHaveLength(1);
    const used = h.server.userinfoRequests[0]?.authorization;
    expect(used).toBe(`Bearer ${await client.getAccessToken()}`);
    expect(used).not.toBe(`Bearer ${first}`);
  });

  it('refuses an answer about another user (sub differs from the ID token) as invalid_response', async () => {
    h = await startHarness();
    const client = await openidClient();
    await h.signIn(client);
    h.server.setUserinfoSubject('user-43');
    await expect(client.fetchUserInfo()).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'unexpected response from the authorization server: unexpected "response" body "sub" property value',
    });
  });

  it('reports an access token the server stopped accepting as OAuthError invalid_token, after a stolen refresh token was replayed', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const client = await openidClient();
    await h.signIn(client);
    h.clock.advanceSeconds(280);
    await client.getAccessToken(); // rotates: the first refresh token is now spent
    const replay = await fetch(`${h.server.issuer}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: h.server.issuedRefreshTokens[0]!,
        client_id: CLIENT_ID,
      }),
    });
    expect(replay.status).toBe(400);

    const error = await client.fetchUserInfo().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: 'oauth_error',
      error: 'invalid_token',
      description: 'The access token is not active',
    });
  });

  it('throws LoginRequiredError when signed out', async () => {
    h = await startHarness();
    const client = await openidClient();
    await expect(client.fetchUserInfo()).rejects.toBeInstanceOf(LoginRequiredError);
  });
});

describe('openid without discovery', () => {
  const staticClient = (extra: { userinfoUrl?: string } = {}) =>
    createGatehouseClient({
      authorizationUrl: `${h.server.issuer}/oauth2/authorize`,
      tokenUrl: `${h.server.issuer}/oauth2/token`,
      ...extra,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      scope: OPENID_SCOPE,
      storage: h.storage,
      location: h.location,
      locks: null,
      now: h.clock.now,
    });

  it('validates the ES256 ID token without id_token_signing_alg_values_supported, and uses userinfoUrl', async () => {
    h = await startHarness();
    const client = await staticClient({ userinfoUrl: `${h.server.issuer}/oauth2/userinfo` });
    await h.signIn(client);
    expect(await client.getUser()).toMatchObject({ sub: SUBJECT, aud: CLIENT_ID });
    expect(await client.fetchUserInfo()).toEqual({ sub: SUBJECT, ...USER_PROFILE });
  });

  it('fetchUserInfo throws ConfigurationError without userinfoUrl, before any request', async () => {
    h = await startHarness();
    const client = await staticClient();
    await h.signIn(client);
    await expect(client.fetchUserInfo()).rejects.toThrow(
      new ConfigurationError(`issuer ${h.server.issuer} has no userinfo_endpoint; pass options.userinfoUrl`),
    );
    expect(h.server.userinfoRequests).toEqual([]);
  });
});
