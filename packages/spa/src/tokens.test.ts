import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatehouseError, LoginRequiredError, OAuthError } from './errors.js';
import { indexedDbTokenStore } from './lib/indexeddb-store.js';
import { decodeJwtPayload } from './lib/jwt.js';
import { memoryLocks, sharedTokenStore } from './testing/browser-fakes.js';
import { fakeIndexedDb } from './testing/fake-indexeddb.js';
import { AUDIENCE, CLIENT_ID, SUBJECT } from './testing/fake-authorization-server.js';
import { SCOPE, startHarness, type Harness } from './testing/harness.js';
import type { GatehouseEvents } from './types.js';

let h: Harness;
afterEach(() => {
  vi.unstubAllGlobals();
  return h.server.close();
});

const refreshRequests = () => h.server.tokenRequests.filter((r) => r.grant_type === 'refresh_token');

/** Records every event a client emits, in order. */
function recordEvents(client: Awaited<ReturnType<Harness['newClient']>>) {
  const seen: Array<[keyof GatehouseEvents, unknown]> = [];
  for (const name of ['tokenExpiring', 'tokenRefreshed', 'loggedOut', 'error'] as const) {
    client.on(name, (detail) => void seen.push([name, detail]));
  }
  return seen;
}

describe('getAccessToken', () => {
  it('throws LoginRequiredError before any sign-in', async () => {
    h = await startHarness();
    const client = await h.newClient();
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(await client.isAuthenticated()).toBe(false);
    expect(await client.getClaims()).toBeUndefined();
  });

  it('hands out the cached token without requests until 30 s before expiry, then refreshes', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const client = await h.newClient();
    await h.signIn(client);
    const first = await client.getAccessToken();

    h.clock.advanceSeconds(269);
    expect(await client.getAccessToken()).toBe(first);
    expect(h.server.tokenRequests).toHaveLength(1);

    h.clock.advanceSeconds(1);
    const second = await client.getAccessToken();
    expect(second).not.toBe(first);
    expect(refreshRequests()).toHaveLength(1);
    expect(await client.getAccessToken()).toBe(second);
    expect(h.server.tokenRequests).toHaveLength(2);
  });

  it('honours leewaySeconds', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const client = await h.newClient({ leewaySeconds: 0 });
    await h.signIn(client);
    const first = await client.getAccessToken();
    h.clock.advanceSeconds(299);
    expect(await client.getAccessToken()).toBe(first);
    expect(refreshRequests()).toHaveLength(0);
  });

  it('without a refresh token, keeps handing out the token inside the leeway window, then throws LoginRequiredError once it expired', async () => {
    h = await startHarness({ expiresInSeconds: 300, issueRefreshTokens: false });
    const client = await h.newClient();
    await h.signIn(client);
    const token = await client.getAccessToken();

    h.clock.advanceSeconds(299);
    expect(await client.getAccessToken()).toBe(token);
    expect(await client.isAuthenticated()).toBe(true);

    h.clock.advanceSeconds(1);
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(await client.isAuthenticated()).toBe(false);
    expect(h.server.tokenRequests).toHaveLength(1);
  });

  it('rotates the refresh token: each refresh presents the one issued by the previous response, and emits tokenExpiring then tokenRefreshed', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const client = await h.newClient();
    await h.signIn(client);
    const events = recordEvents(client);

    h.clock.advanceSeconds(280);
    await client.getAccessToken();
    h.clock.advanceSeconds(280);
    await client.getAccessToken();

    const issued = h.server.issuedRefreshTokens;
    expect(issued).toHaveLength(3);
    expect(refreshRequests()).toEqual([
      { grant_type: 'refresh_token', refresh_token: issued[0], client_id: CLIENT_ID },
      { grant_type: 'refresh_token', refresh_token: issued[1], client_id: CLIENT_ID },
    ]);
    const start = Date.UTC(2025, 0, 1);
    expect(events).toEqual([
      ['tokenExpiring', { requestedScope: '', expiresAt: start + 300_000 }],
      ['tokenRefreshed', { requestedScope: '', expiresAt: start + 580_000 }],
      ['tokenExpiring', { requestedScope: '', expiresAt: start + 580_000 }],
      ['tokenRefreshed', { requestedScope: '', expiresAt: start + 860_000 }],
    ]);
  });

  it('shares one refresh between two concurrent calls in the same page', async () => {
    h = await startHarness();
    const client = await h.newClient();
    await h.signIn(client);
    h.clock.advanceSeconds(280);

    const [a, b] = await Promise.all([client.getAccessToken(), client.getAccessToken()]);
    expect(a).toBe(b);
    expect(refreshRequests()).toHaveLength(1);
  });

  it('lets two tabs sharing a token store and Web Locks spend the refresh token once: the second re-reads the store inside the lock', async () => {
    h = await startHarness();
    const store = sharedTokenStore();
    const locks = memoryLocks();
    const tabA = await h.newClient({ tokenStore: store, locks });
    const tabB = await h.newClient({ tokenStore: store, locks });
    await h.signIn(tabA);
    expect(await tabB.isAuthenticated()).toBe(true);
    h.clock.advanceSeconds(280);

    const [a, b] = await Promise.all([tabA.getAccessToken(), tabB.getAccessToken()]);

    expect(a).toBe(b);
    expect(refreshRequests()).toEqual([
      { grant_type: 'refresh_token', refresh_token: h.server.issuedRefreshTokens[0], client_id: CLIENT_ID },
    ]);
    const lockName = `gatehouse.session.${CLIENT_ID}.${h.server.issuer}`;
    expect(locks.requested).toEqual([lockName, lockName, lockName]); // sign-in write, then one per tab
  });

  it('control for the test above: without a shared lock, two tabs present the same refresh token and one is refused', async () => {
    h = await startHarness();
    const store = sharedTokenStore();
    const tabA = await h.newClient({ tokenStore: store, locks: null });
    const tabB = await h.newClient({ tokenStore: store, locks: null });
    await h.signIn(tabA);
    h.clock.advanceSeconds(280);

    const results = await Promise.allSettled([tabA.getAccessToken(), tabB.getAccessToken()]);

    expect(refreshRequests().map((r) => r.refresh_token)).toEqual([
      h.server.issuedRefreshTokens[0],
      h.server.issuedRefreshTokens[0],
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('lets two tabs on IndexedDB token stores spend the refresh token once: a write resolves only when committed, so the tab taking the lock next reads it', async () => {
    h = await startHarness();
    const idb = fakeIndexedDb();
    const locks = memoryLocks();
    const tabA = await h.newClient({ tokenStore: indexedDbTokenStore(idb.factory), locks });
    const tabB = await h.newClient({ tokenStore: indexedDbTokenStore(idb.factory), locks });
    await h.signIn(tabA);
    h.clock.advanceSeconds(280);

    const [a, b] = await Promise.all([tabA.getAccessToken(), tabB.getAccessToken()]);

    expect(a).toBe(b);
    expect(refreshRequests()).toEqual([
      { grant_type: 'refresh_token', refresh_token: h.server.issuedRefreshTokens[0], client_id: CLIENT_ID },
    ]);
  });

  it('control for the test above (the localStorage bug in Chromium): when tab A releases the lock before its write reached tab B, both spend the refresh token and one is refused', async () => {
    h = await startHarness();
    const idb = fakeIndexedDb();
    const locks = memoryLocks();
    const committedLater = indexedDbTokenStore(idb.factory);
    // Like localStorage across renderers: the write is on its way, not yet visible to the other tab.
    const tabA = await h.newClient({
      tokenStore: { ...committedLater, set: (key, value) => void committedLater.set(key, value) },
      locks,
    });
    const tabB = await h.newClient({ tokenStore: indexedDbTokenStore(idb.factory), locks });
    await h.signIn(tabA);
    await vi.waitFor(() => expect(idb.committed.size).toBe(1));
    h.clock.advanceSeconds(280);

    const results = await Promise.allSettled([tabA.getAccessToken(), tabB.getAccessToken()]);

    expect(refreshRequests().map((r) => r.refresh_token)).toEqual([
      h.server.issuedRefreshTokens[0],
      h.server.issuedRefreshTokens[0],
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('on invalid_grant, clears the session, emits loggedOut, and throws LoginRequiredError', async () => {
    h = await startHarness();
    const store = sharedTokenStore();
    const client = await h.newClient({ tokenStore: store });
    await h.signIn(client);
    const events = recordEvents(client);
    h.server.revokeAllRefreshTokens();
    h.clock.advanceSeconds(280);

    const error = await client.getAccessToken().catch((err: unknown) => err);

    expect(error).toBeInstanceOf(LoginRequiredError);
    expect((error as LoginRequiredError).cause).toBeInstanceOf(OAuthError);
    expect((error as LoginRequiredError).cause).toMatchObject({ error: 'invalid_grant' });
    expect(store.items.size).toBe(0);
    expect(await client.isAuthenticated()).toBe(false);
    expect(events.map(([name]) => name)).toEqual(['tokenExpiring', 'loggedOut']);
    expect(events[1]).toEqual(['loggedOut', { reason: 'session_expired' }]);
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(refreshRequests()).toHaveLength(1);
  });

  it('after a stolen, already-rotated refresh token is replayed, the server revokes the family and the next refresh signs out every tab sharing the store', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const store = sharedTokenStore();
    const locks = memoryLocks();
    const tabA = await h.newClient({ tokenStore: store, locks });
    const tabB = await h.newClient({ tokenStore: store, locks });
    await h.signIn(tabA);
    h.clock.advanceSeconds(280);
    await tabA.getAccessToken(); // rotation: issuedRefreshTokens[0] is spent, [1] is current
    const events = recordEvents(tabA);

    const replay = await fetch(`${h.server.issuer}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: h.server.issuedRefreshTokens[0]!,
        client_id: CLIENT_ID,
      }),
    });
    expect([replay.status, await replay.json()]).toEqual([
      400,
      { error: 'invalid_grant', error_description: 'refresh token unknown, revoked, or already used' },
    ]);
    h.clock.advanceSeconds(280);

    await expect(tabA.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(refreshRequests().map((r) => r.refresh_token)).toEqual([
      h.server.issuedRefreshTokens[0],
      h.server.issuedRefreshTokens[0],
      h.server.issuedRefreshTokens[1],
    ]);
    expect(events).toEqual([
      ['tokenExpiring', { requestedScope: '', expiresAt: Date.UTC(2025, 0, 1) + 580_000 }],
      ['loggedOut', { reason: 'session_expired' }],
    ]);
    expect(store.items.size).toBe(0);
    expect(await tabB.isAuthenticated()).toBe(false);
    await expect(tabB.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
  });

  it('logout in one tab signs out every tab sharing the store', async () => {
    h = await startHarness();
    const store = sharedTokenStore();
    const locks = memoryLocks();
    const tabA = await h.newClient({ tokenStore: store, locks });
    const tabB = await h.newClient({ tokenStore: store, locks });
    await h.signIn(tabA);
    expect(await tabB.getAccessToken()).toBe(await tabA.getAccessToken());

    await tabA.logout();

    await expect(tabB.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(refreshRequests()).toEqual([]);
  });

  it('keeps the session when the refresh fails for a network error, throwing GatehouseError network_error', async () => {
    h = await startHarness();
    const client = await h.newClient();
    await h.signIn(client);
    await h.server.close();
    h.clock.advanceSeconds(280);

    const error = await client.getAccessToken().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error).not.toBeInstanceOf(LoginRequiredError);
    expect(error).toMatchObject({ code: 'network_error' });
    expect(await client.isAuthenticated()).toBe(true);
  });

  it('obtains a token for a narrower scope with the refresh token and caches it apart from the sign-in token', async () => {
    h = await startHarness();
    const client = await h.newClient();
    await h.signIn(client);
    const full = await client.getAccessToken();

    const narrow = await client.getAccessToken({ scope: 'core.aiservices.read' });
    expect(decodeJwtPayload(narrow)).toMatchObject({ scope: 'core.aiservices.read' });
    expect(refreshRequests()).toEqual([
      {
        grant_type: 'refresh_token',
        refresh_token: h.server.issuedRefreshTokens[0],
        client_id: CLIENT_ID,
        scope: 'core.aiservices.read',
      },
    ]);

    expect(await client.getAccessToken({ scope: 'core.aiservices.read' })).toBe(narrow);
    expect(await client.getAccessToken()).toBe(full);
    // The granted scopes in another order are the sign-in token, not a new one (RFC 6749 §3.3).
    expect(await client.getAccessToken({ scope: '  core.aiservices.write core.aiservices.read ' })).toBe(full);
    expect(refreshRequests()).toHaveLength(1);
  });

  it('reports a scope the server refuses as OAuthError invalid_scope and keeps the session', async () => {
    h = await startHarness();
    const client = await h.newClient();
    await h.signIn(client);
    await expect(client.getAccessToken({ scope: 'admin' })).rejects.toMatchObject({
      code: 'oauth_error',
      error: 'invalid_scope',
    });
    expect(await client.isAuthenticated()).toBe(true);
  });
});

describe('getAccessToken({ forceRefresh: true })', () => {
  it('refreshes at once although the cached token is not due, emitting tokenRefreshed only, and caches the new token', async () => {
    h = await startHarness({ expiresInSeconds: 300 });
    const client = await h.newClient();
    await h.signIn(client);
    const refused = await client.getAccessToken();
    const events = recordEvents(client);

    const renewed = await client.getAccessToken({ forceRefresh: true });

    expect(renewed).not.toBe(refused);
    expect(refreshRequests()).toEqual([
      { grant_type: 'refresh_token', refresh_token: h.server.issuedRefreshTokens[0], client_id: CLIENT_ID },
    ]);
    expect(events).toEqual([['tokenRefreshed', { requestedScope: '', expiresAt: Date.UTC(2025, 0, 1) + 300_000 }]]);
    expect(await client.getAccessToken()).toBe(renewed);
    expect(refreshRequests()).toHaveLength(1);
  });

  it('is serialised like any refresh: concurrent forced refreshes in two tabs sharing the store spend the refresh token once and get the same new token', async () => {
    h = await startHarness();
    const store = sharedTokenStore();
    const locks = memoryLocks();
    const tabA = await h.newClient({ tokenStore: store, locks });
    const tabB = await h.newClient({ tokenStore: store, locks });
    await h.signIn(tabA);
    const refused = await tabA.getAccessToken();

    const [a, b, c] = await Promise.all([
      tabA.getAccessToken({ forceRefresh: true }),
      tabB.getAccessToken({ forceRefresh: true }),
      tabB.getAccessToken({ forceRefresh: true }),
    ]);

    expect(a).not.toBe(refused);
    expect([b, c]).toEqual([a, a]);
    expect(refreshRequests()).toEqual([
      { grant_type: 'refresh_token', refresh_token: h.server.issuedRefreshTokens[0], client_id: CLIENT_ID },
    ]);
  });

  it('forces a refresh of a narrower-scope token with that scope', async () => {
    h = await startHarness();
    const client = await h.newClient();
    await h.signIn(client);
    const narrow = await client.getAccessToken({ scope: 'core.aiservices.read' });

    const renewed = await client.getAccessToken({ scope: 'core.aiservices.read', forceRefresh: true });

    expect(renewed).not.toBe(narrow);
    expect(decodeJwtPayload(renewed)).toMatchObject({ scope: 'core.aiservices.read' });
    expect(refreshRequests().map((r) => r.scope)).toEqual(['core.aiservices.read', 'core.aiservices.read']);
  });

  it('signs out with LoginRequiredError when the server refuses the refresh token (e.g. its family was revoked)', async () => {
    h = await startHarness();
    const client = await h.newClient();
    await h.signIn(client);
    const events = recordEvents(client);
    h.server.revokeAllRefreshTokens();

    const error = await client.getAccessToken({ forceRefresh: true }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(LoginRequiredError);
    expect((error as LoginRequiredError).cause).toMatchObject({ error: 'invalid_grant' });
    expect(events).toEqual([['loggedOut', { reason: 'session_expired' }]]);
    expect(await client.isAuthenticated()).toBe(false);
  });

  it('throws LoginRequiredError without a request when the server issued no refresh token', async () => {
    h = await startHarness({ issueRefreshTokens: false });
    const client = await h.newClient();
    await h.signIn(client);

    await expect(client.getAccessToken({ forceRefresh: true })).rejects.toThrow(
      new LoginRequiredError('the access token cannot be replaced: the server issued no refresh token'),
    );
    expect(refreshRequests()).toEqual([]);
  });
});

describe('getClaims and token stores', () => {
  it('decodes the access token payload (not verified) for display', async () => {
    h = await startHarness({ expiresInSeconds: 600 });
    const client = await h.newClient();
    await h.signIn(client);
    const iat = Date.UTC(2025, 0, 1) / 1000;
    expect(await client.getClaims()).toEqual({
      iss: h.server.issuer,
      aud: AUDIENCE,
      sub: SUBJECT,
      scope: SCOPE,
      client_id: CLIENT_ID,
      tenant_id: 'TEST',
      actor: 'user',
      iat,
      exp: iat + 600,
      jti: 'at-1',
    });
  });

  it('keeps the session in memory by default, so a new page (reload) starts signed out', async () => {
    h = await startHarness();
    await h.signIn(await h.newClient());
    const reloaded = await h.newClient();
    expect(await reloaded.isAuthenticated()).toBe(false);
  });

  it("with tokenStore 'session', a reloaded page in the same tab is still signed in", async () => {
    h = await startHarness();
    const client = await h.newClient({ tokenStore: 'session' });
    await h.signIn(client);
    const token = await client.getAccessToken();

    const reloaded = await h.newClient({ tokenStore: 'session' });
    expect(await reloaded.isAuthenticated()).toBe(true);
    expect(await reloaded.getAccessToken()).toBe(token);
    expect([...h.storage.items.keys()]).toEqual([`gatehouse.session.${CLIENT_ID}.${h.server.issuer}`]);
  });

  it("with tokenStore 'indexeddb', the session is kept in IndexedDB and a new page or tab is still signed in", async () => {
    h = await startHarness();
    const idb = fakeIndexedDb();
    vi.stubGlobal('indexedDB', idb.factory);
    const client = await h.newClient({ tokenStore: 'indexeddb' });
    await h.signIn(client);
    const token = await client.getAccessToken();

    const reloaded = await h.newClient({ tokenStore: 'indexeddb' });
    expect(await reloaded.getAccessToken()).toBe(token);
    expect([...idb.committed.keys()]).toEqual([`gatehouse.session.${CLIENT_ID}.${h.server.issuer}`]);
    expect(h.storage.items.size).toBe(0);
  });

  it('treats a corrupt stored session as signed out and removes it', async () => {
    h = await startHarness();
    const store = sharedTokenStore();
    const key = `gatehouse.session.${CLIENT_ID}.${h.server.issuer}`;
    store.items.set(key, '{not json');
    const client = await h.newClient({ tokenStore: store });
    expect(await client.isAuthenticated()).toBe(false);
    expect(store.items.has(key)).toBe(false);
  });
});
