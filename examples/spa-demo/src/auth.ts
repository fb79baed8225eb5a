import {
  createGatehouseClient,
  InteractionRequiredError,
  LoginRequiredError,
  OAuthError,
  StateMismatchError,
  type AccessTokenClaims,
  type GatehouseClient,
} from '@gatehouse/spa';
import { config, isRealmKey, realmInfo, type RealmKey } from './config.js';

const clients = new Map<RealmKey, Promise<GatehouseClient>>();

/**
 * The sign-in client of one realm, created on first use (discovery is one request to
 * `${issuer}/.well-known/openid-configuration`). Agents and customers have separate issuers, so
 * separate clients; both use the same client id and redirect URI.
 */
export function getClient(realm: RealmKey): Promise<GatehouseClient> {
  let client = clients.get(realm);
  if (!client) {
    client = createGatehouseClient({
      issuer: realmInfo(realm).issuer,
      clientId: config.clientId,
      redirectUri: config.redirectUri,
      scope: [config.identityScopes, ...config.scopes.map((scope) => scope.name)].join(' '),
      // With 'indexeddb', every tab of the app shares the session, and the SDK's Web Lock makes
      // sure only one tab at a time spends the rotating refresh token.
      tokenStore: config.tokenStore,
      leewaySeconds: config.refreshLeewaySeconds,
    });
    // A failed discovery (server down) must not stick: the next click tries again.
    client.catch(() => clients.delete(realm));
    clients.set(realm, client);
  }
  return client;
}

// Both realms share one redirect URI, so the callback page must be told which realm's client
// holds the pending sign-in. sessionStorage is per tab, like the SDK's pending sign-ins.
const REALM_KEY = 'gatehouse-demo.realm';
const HANDLED_STATE_KEY = 'gatehouse-demo.handled-state';
const SIGNED_OUT_KEY = 'gatehouse-demo.signed-out';
// The realm this browser last signed in to, kept across reloads (localStorage): the one worth
// asking Gatehouse about in a hidden iframe. Forgotten on sign-out and when a session ends.
const LAST_REALM_KEY = 'gatehouse-demo.last-realm';

const watched = new WeakSet<GatehouseClient>();

/**
 * Remembers the realm of a session the page shows, until that session ends (sign-out, or Gatehouse
 * refusing the refresh token): then a reload should not quietly sign in again.
 */
export function rememberLastRealm(realm: RealmKey, client: GatehouseClient): void {
  localStorage.setItem(LAST_REALM_KEY, realm);
  if (watched.has(client)) return;
  watched.add(client);
  client.on('loggedOut', forgetLastRealm);
}

export function forgetLastRealm(): void {
  localStorage.removeItem(LAST_REALM_KEY);
}

/** Sends the browser to the realm's Gatehouse sign-in page, asking for these API scopes. */
export async function signIn(realm: RealmKey, apiScopes: string): Promise<void> {
  const client = await getClient(realm);
  sessionStorage.setItem(REALM_KEY, realm);
  await client.loginWithRedirect({ scope: `${config.identityScopes} ${apiScopes}` });
}

export interface SignedIn {
  readonly realm: RealmKey;
  readonly client: GatehouseClient;
  /** The access token's claims, decoded for display (the API verifies the token itself). */
  readonly claims: AccessTokenClaims;
  /** From Gatehouse's userinfo endpoint; undefined if it could not be asked. */
  readonly username: string | undefined;
}

/**
 * Completes a sign-in on the redirect URI page. The client of the realm the sign-in started in
 * checks `state` and `iss` and redeems the code; failures are the SDK's typed errors
 * (`AccessDeniedError`, `StateMismatchError`, …).
 */
export async function handleCallback(callbackUrl: string): Promise<SignedIn> {
  const realm = sessionStorage.getItem(REALM_KEY);
  if (!isRealmKey(realm)) throw new StateMismatchError('no sign-in was started in this tab');
  const client = await getClient(realm);
  await client.handleRedirectCallback(callbackUrl);
  return describeSession(realm, client);
}

/**
 * Signs in in a popup window; the page stays as it is. The window is opened here, synchronously
 * inside the click, because the realm's client may still be reading its metadata: a popup opened
 * after that wait could be blocked.
 */
export async function signInWithPopup(realm: RealmKey, apiScopes: string): Promise<SignedIn> {
  const popup = window.open('', 'gatehouse-sign-in', 'popup,width=500,height=650') ?? undefined;
  const client = await getClient(realm);
  await client.loginWithPopup({ popup, scope: `${config.identityScopes} ${apiScopes}` });
  return describeSession(realm, client);
}

/**
 * Restores the session on page load without showing any page. `checkSession()` uses the token
 * store when it outlives the page ('session', 'indexeddb', 'local'); otherwise, for the realm this
 * browser signed in to last, it asks Gatehouse with prompt=none in a hidden iframe, which works
 * because the demo and Gatehouse are same-site (localhost; ports do not count). Undefined when
 * there is nothing to restore; never a redirect, so no loop.
 */
export async function restoreSession(): Promise<SignedIn | undefined> {
  const last = localStorage.getItem(LAST_REALM_KEY);
  for (const realm of ['agent', 'customer'] as const) {
    const client = await getClient(realm);
    try {
      // Only the realm signed in to last is worth an iframe; the other is looked up in the store.
      await client.checkSession({ iframe: realm === last ? undefined : false });
      return await describeSession(realm, client);
    } catch (error) {
      // Not signed in at Gatehouse, or consent missing: the sign-in page it is. A stored session
      // Gatehouse refused to renew is reported (the caller says so), not skipped.
      const refused =
        error instanceof LoginRequiredError &&
        error.cause instanceof OAuthError &&
        error.cause.error === 'invalid_grant';
      if (error instanceof InteractionRequiredError || (error instanceof LoginRequiredError && !refused)) continue;
      throw error;
    }
  }
  return undefined;
}

async function describeSession(realm: RealmKey, client: GatehouseClient): Promise<SignedIn> {
  const claims = await client.getClaims();
  if (!claims) throw new LoginRequiredError('the session holds no access token');
  // The name is a nicety: a failed userinfo call must not undo a completed sign-in.
  const username = await client.fetchUserInfo().then(
    (info) => info.preferred_username,
    () => undefined,
  );
  return { realm, client, claims, username };
}

/**
 * Signs out: the SDK forgets the tokens, revokes the refresh token, and sends the browser to
 * Gatehouse's end-session endpoint, which ends the Gatehouse session and sends it back to
 * `returnTo` (registered for the client as a post-logout redirect URI) with our `state`.
 */
export async function signOut(client: GatehouseClient): Promise<void> {
  const state = crypto.randomUUID();
  sessionStorage.setItem(SIGNED_OUT_KEY, state);
  await client.logout({ returnTo: `${window.location.origin}/`, state });
}

/** Whether this page load is the return from our own sign-out (asked once). */
export function takeSignedOut(url: string): boolean {
  const expected = sessionStorage.getItem(SIGNED_OUT_KEY);
  sessionStorage.removeItem(SIGNED_OUT_KEY);
  const state = new URL(url).searchParams.get('state');
  // No state comes back from a server without an end-session endpoint: the SDK goes to returnTo itself.
  return expected !== null && (state === null || state === expected);
}

/**
 * Remembers the `state` of the last callback this tab processed, to tell a reload of the callback
 * page (same state, already used) from a forged or tampered one (a state never seen).
 */
export function rememberHandledState(state: string | null): void {
  if (state) sessionStorage.setItem(HANDLED_STATE_KEY, state);
}

export function wasHandled(state: string | null): boolean {
  return state !== null && sessionStorage.getItem(HANDLED_STATE_KEY) === state;
}
