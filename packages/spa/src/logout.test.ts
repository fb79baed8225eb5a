import { afterEach, describe, expect, it } from 'vitest';
import { LoginRequiredError } from './errors.js';
import { CLIENT_ID } from './testing/fake-authorization-server.js';
import { startHarness, type Harness } from './testing/harness.js';
import type { GatehouseEvents } from './types.js';

let h: Harness;
afterEach(() => h.server.close());

describe('logout', () => {
  it('clears the session, revokes the refresh token, and ends the Gatehouse session with post_logout_redirect_uri', async () => {
    h = await startHarness({ revocationEndpoint: true, endSessionEndpoint: true });
    const client = await h.newClient();
    await h.signIn(client);
    const loggedOut: Array<GatehouseEvents['loggedOut']> = [];
    client.on('loggedOut', (detail) => void loggedOut.push(detail));

    await client.logout({ returnTo: 'https://app.example.test/bye' });

    expect(await client.isAuthenticated()).toBe(false);
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(loggedOut).toEqual([{ reason: 'logout' }]);
    expect(h.server.revocationRequests).toEqual([
      { token: h.server.issuedRefreshTokens[0], token_type_hint: 'refresh_token', client_id: CLIENT_ID },
    ]);
    expect(h.location.assigned).toHaveLength(1);
    const endSession = new URL(h.location.assigned[0]!);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${h.server.issuer}/oauth2/logout`);
    expect([...endSession.searchParams.keys()]).toEqual(['client_id', 'post_logout_redirect_uri', 'state']);
    expect(endSession.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe('https://app.example.test/bye');
    expect(endSession.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('makes the revoked refresh token useless at the server: a later refresh with it is refused with invalid_grant', async () => {
    h = await startHarness({ revocationEndpoint: true, endSessionEndpoint: true });
    const client = await h.newClient();
    await h.signIn(client);
    await client.logout();

    const response = await fetch(`${h.server.issuer}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: h.server.issuedRefreshTokens[0]!,
        client_id: CLIENT_ID,
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('passes a state of the caller to the end-session endpoint with returnTo, and a fresh random one each time otherwise', async () => {
    h = await startHarness({ revocationEndpoint: true, endSessionEndpoint: true });
    const client = await h.newClient();
    await client.logout({ returnTo: 'https://app.example.test/bye', state: 'from-settings' });
    await client.logout({ returnTo: 'https://app.example.test/bye' });
    await client.logout({ returnTo: 'https://app.example.test/bye' });
    const states = h.location.assigned.map((url) => new URL(url).searchParams.get('state'));
    expect(states[0]).toBe('from-settings');
    expect(states[1]).not.toBe(states[2]);
  });

  it('sends only client_id to the end-session endpoint without returnTo', async () => {
    h = await startHarness({ revocationEndpoint: true, endSessionEndpoint: true });
    const client = await h.newClient();
    await h.signIn(client);
    await client.logout();
    expect(h.location.assigned).toEqual([`${h.server.issuer}/oauth2/logout?client_id=${CLIENT_ID}`]);
  });

  it('without revocation and end-session endpoints, only clears the local session and goes to returnTo', async () => {
    h = await startHarness({ revocationEndpoint: false, endSessionEndpoint: false });
    const client = await h.newClient();
    await h.signIn(client);

    await client.logout({ returnTo: 'https://app.example.test/bye' });

    expect(await client.isAuthenticated()).toBe(false);
    expect(h.server.revocationRequests).toEqual([]);
    expect(h.location.assigned).toEqual(['https://app.example.test/bye']);
  });

  it('does not fail when revocation fails: the failure is emitted as an error event and navigation still happens', async () => {
    h = await startHarness({ revocationEndpoint: true, endSessionEndpoint: true });
    const offlineForRevocation: typeof fetch = (input, init) =>
      String(input).endsWith('/oauth2/revoke') ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init);
    const client = await h.newClient({ fetch: offlineForRevocation });
    await h.signIn(client);
    const errors: Array<GatehouseEvents['error']> = [];
    client.on('error', (error) => void errors.push(error));

    await client.logout();

    expect(errors.map((e) => e.code)).toEqual(['network_error']);
    expect(await client.isAuthenticated()).toBe(false);
    expect(h.location.assigned).toEqual([`${h.server.issuer}/oauth2/logout?client_id=${CLIENT_ID}`]);
  });

  it('stops delivering events to a listener removed with off() or the function on() returned', async () => {
    h = await startHarness();
    const client = await h.newClient();
    const calls: string[] = [];
    const viaOff = () => void calls.push('off');
    client.on('loggedOut', viaOff);
    const unsubscribe = client.on('loggedOut', () => void calls.push('unsubscribe'));
    client.off('loggedOut', viaOff);
    unsubscribe();
    await client.logout();
    expect(calls).toEqual([]);
  });
});
