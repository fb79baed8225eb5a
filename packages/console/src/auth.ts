import { createGatehouseClient, type GatehouseClient } from '@gatehouse/spa';
import { config } from './config.js';

let client: Promise<GatehouseClient> | undefined;

/**
 * The console's sign-in client (discovery on first use). The session lives in sessionStorage:
 * per tab, kept across reloads. The strict CSP (only our own bundled scripts) is what keeps
 * other scripts from reading it.
 */
export function getClient(): Promise<GatehouseClient> {
  if (!client) {
    client = createGatehouseClient({
      issuer: config.issuer,
      clientId: config.clientId,
      redirectUri: config.redirectUri,
      scope: config.scope,
      tokenStore: 'session',
    });
    // A failed discovery must not stick: the next attempt asks again.
    client.catch(() => {
      client = undefined;
    });
  }
  return client;
}

interface ReturnTo {
  /** The console route to restore after sign-in. */
  readonly path: string;
}

/** Sends the browser to the GATEHOUSE-U sign-in page; `path` is restored after the callback. */
export async function signIn(path: string): Promise<void> {
  await (await getClient()).loginWithRedirect<ReturnTo>({ appState: { path } });
}

/** Completes a sign-in on /admin/callback; returns the route to go back to. */
export async function completeSignIn(url: string): Promise<string> {
  const { appState } = await (await getClient()).handleRedirectCallback<ReturnTo>(url);
  return appState?.path ?? '';
}

export async function isSignedIn(): Promise<boolean> {
  return (await getClient()).isAuthenticated();
}

export async function accessToken(forceRefresh = false): Promise<string> {
  return (await getClient()).getAccessToken({ forceRefresh });
}

export async function signOut(): Promise<void> {
  await (await getClient()).logout({ returnTo: config.postLogoutRedirectUri });
}
