import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessDeniedError, IssuerMismatchError, OAuthError, StateMismatchError } from './errors.js';
import { CLIENT_ID, REDIRECT_URI } from './testing/fake-authorization-server.js';
import { SCOPE, startHarness, type Harness } from './testing/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.server.close());

/** Starts a sign-in and returns the callback URL the server redirects to. */
async function callbackFor(client: Awaited<ReturnType<Harness['newClient']>>): Promise<string> {
  return h.server.authorize(await client.buildAuthorizeUrl());
}

function withParams(url: string, changes: Record<string, string | null>): string {
  const out = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) out.searchParams.delete(name);
    else out.searchParams.set(name, value);
  }
  return out.href;
}

describe('buildAuthorizeUrl / loginWithRedirect', () => {
  it('builds an authorization URL with exactly the parameters Gatehouse requires, S256 PKCE, and a random state', async () => {
    const client = await h.newClient();
    const url = new URL(await client.buildAuthorizeUrl());

    expect(`${url.origin}${url.pathname}`).toBe(`${h.server.issuer}/oauth2/authorize`);
    expect([...url.searchParams.keys()].sort()).toEqual([
      'client_id',
      'code_challenge',
      'code_challenge_method',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ]);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('scope')).toBe(SCOPE);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const challenge = url.searchParams.get('code_challenge')!;
    const state = url.searchParams.get('state')!;
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The pending sign-in waits in sessionStorage under its state; its verifier hashes to the challenge (RFC 7636 §4.2).
    expect([...h.storage.items.keys()]).toEqual([`gatehouse.tx.${CLIENT_ID}.${state}`]);
    const tx = JSON.parse(h.storage.items.get(`gatehouse.tx.${CLIENT_ID}.${state}`)!);
    expect(tx).toMatchObject({ state, redirectUri: REDIRECT_URI, scope: SCOPE });
    expect(tx.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createHash('sha256').update(tx.codeVerifier).digest('base64url')).toBe(challenge);
  });

  it('uses a fresh state and verifier for every sign-in, keeping each pending', async () => {
    const client = await h.newClient();
    const first = new URL(await client.buildAuthorizeUrl());
    const second = new URL(await client.buildAuthorizeUrl());
    expect(first.searchParams.get('state')).not.toBe(second.searchParams.get('state'));
    expect(first.searchParams.get('code_challenge')).not.toBe(second.searchParams.get('code_challenge'));
    expect(h.storage.items.size).toBe(2);
  });

  it('loginWithRedirect navigates to the authorization URL with the scope override, and the callback returns the appState', async () => {
    const client = await h.newClient();
    await client.loginWithRedirect({ appState: { returnTo: '/reports?id=7' }, scope: 'core.aiservices.read' });

    expect(h.location.assigned).toHaveLength(1);
    const url = new URL(h.location.assigned[0]!);
    expect(url.searchParams.get('scope')).toBe('core.aiservices.read');
    const result = await client.handleRedirectCallback(await h.server.authorize(url.href));
    expect(result).toEqual({ appState: { returnTo: '/reports?id=7' } });
    expect(await client.getClaims()).toMatchObject({ scope: 'core.aiservices.read' });
  });
});

describe('handleRedirectCallback', () => {
  it('redeems the code with the PKCE verifier, signs the user in, and deletes the pending sign-in', async () => {
    const client = await h.newClient();
    const authorizeUrl = new URL(await client.buildAuthorizeUrl());
    const state = authorizeUrl.searchParams.get('state')!;
    const { codeVerifier } = JSON.parse(h.storage.items.get(`gatehouse.tx.${CLIENT_ID}.${state}`)!);
    const callback = new URL(await h.server.authorize(authorizeUrl.href));

    expect(await client.handleRedirectCallback(callback.href)).toEqual({ appState: undefined });

    expect(h.server.tokenRequests).toEqual([
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code'),
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        code_verifier: codeVerifier,
      },
    ]);
    expect(h.storage.items.size).toBe(0);
    expect(await client.isAuthenticated()).toBe(true);
    expect(await client.getAccessToken()).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('reads the callback from location.href when given no URL', async () => {
    const client = await h.newClient();
    h.location.assign(await callbackFor(client));
    await client.handleRedirectCallback();
    expect(await client.isAuthenticated()).toBe(true);
  });

  it('rejects a callback whose state matches no pending sign-in with StateMismatchError, without a token request', async () => {
    const client = await h.newClient();
    const callback = withParams(await callbackFor(client), { state: 'forged-state' });
    await expect(client.handleRedirectCallback(callback)).rejects.toBeInstanceOf(StateMismatchError);
    expect(h.server.tokenRequests).toEqual([]);
    expect(await client.isAuthenticated()).toBe(false);
  });

  it('rejects a callback without state with StateMismatchError', async () => {
    const client = await h.newClient();
    const callback = withParams(await callbackFor(client), { state: null });
    await expect(client.handleRedirectCallback(callback)).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(h.server.tokenRequests).toEqual([]);
  });

  it('rejects handling the same callback a second time with StateMismatchError and keeps the first session', async () => {
    const client = await h.newClient();
    const callback = await callbackFor(client);
    await client.handleRedirectCallback(callback);
    const token = await client.getAccessToken();

    const replay = client.handleRedirectCallback(callback);
    await expect(replay).rejects.toBeInstanceOf(StateMismatchError);
    await expect(replay).rejects.toThrow('already handled');
    expect(h.server.tokenRequests).toHaveLength(1);
    expect(await client.getAccessToken()).toBe(token);
  });

  it('turns error=access_denied into AccessDeniedError with the server description, and consumes the pending sign-in', async () => {
    const client = await h.newClient();
    h.server.denyNextAuthorization();
    const callback = await callbackFor(client);

    const error = await client.handleRedirectCallback(callback).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'access_denied', error: 'access_denied', description: 'The user declined' });
    expect(h.storage.items.size).toBe(0);
    expect(h.server.tokenRequests).toEqual([]);
  });

  it('turns any other callback error into OAuthError with error and description', async () => {
    const client = await h.newClient();
    const callback = withParams(await callbackFor(client), {
      code: null,
      error: 'temporarily_unavailable',
      error_description: 'try later',
    });
    const error = await client.handleRedirectCallback(callback).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).not.toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ code: 'oauth_error', error: 'temporarily_unavailable', description: 'try later' });
  });

  it('rejects a callback from another issuer with IssuerMismatchError before redeeming the code (RFC 9207)', async () => {
    const client = await h.newClient();
    const genuine = await callbackFor(client);
    const callback = withParams(genuine, { iss: 'https://attacker.example/system/auth/TEST-U' });

    const error = await client.handleRedirectCallback(callback).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(IssuerMismatchError);
    expect(error).toMatchObject({ code: 'issuer_mismatch' });
    expect(h.server.tokenRequests).toEqual([]);
    // The pending sign-in is spent: even the genuine callback cannot be redeemed afterwards.
    await expect(client.handleRedirectCallback(genuine)).rejects.toBeInstanceOf(StateMismatchError);
  });

  it('rejects a callback without iss when the server advertises authorization_response_iss_parameter_supported', async () => {
    const client = await h.newClient();
    const callback = withParams(await callbackFor(client), { iss: null });
    await expect(client.handleRedirectCallback(callback)).rejects.toBeInstanceOf(IssuerMismatchError);
    expect(h.server.tokenRequests).toEqual([]);
  });

  it('checks iss on error callbacks too, so a foreign access_denied is an IssuerMismatchError', async () => {
    const client = await h.newClient();
    h.server.denyNextAuthorization();
    const callback = withParams(await callbackFor(client), { iss: 'https://attacker.example' });
    await expect(client.handleRedirectCallback(callback)).rejects.toBeInstanceOf(IssuerMismatchError);
  });

  it('reports a code the token endpoint refuses as OAuthError invalid_grant and stays signed out', async () => {
    const client = await h.newClient();
    const callback = withParams(await callbackFor(client), { code: 'not-a-code' });
    const error = await client.handleRedirectCallback(callback).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'oauth_error', error: 'invalid_grant' });
    expect(await client.isAuthenticated()).toBe(false);
  });
});
