/**
 * The demo's settings, fixed at build time from Vite env variables (`VITE_*`, e.g. in
 * `.env.local` or the environment of `vite` / `vite build`). The defaults match `npm start`.
 */
const env = import.meta.env;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Where the SDK keeps the session; see "Where tokens live" in the SDK's README for the trade-off. */
export type TokenStoreName = 'memory' | 'session' | 'indexeddb' | 'local';

const TOKEN_STORES: readonly TokenStoreName[] = ['memory', 'session', 'indexeddb', 'local'];

/** A misconfigured build fails at start-up, with the variable and the allowed values named. */
function readTokenStore(value: string | undefined): TokenStoreName {
  if (!value) return 'memory';
  if (!(TOKEN_STORES as readonly string[]).includes(value))
    throw new Error(`VITE_TOKEN_STORE must be one of ${TOKEN_STORES.join(', ')}, got ${JSON.stringify(value)}`);
  return value as TokenStoreName;
}

function readLeewaySeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0)
    throw new Error(`VITE_REFRESH_LEEWAY_SECONDS must be a whole number of seconds, got ${JSON.stringify(value)}`);
  return seconds;
}

export const config = Object.freeze({
  gatehouseUrl: trimSlash(env.VITE_GATEHOUSE_URL || 'http://localhost:8080'),
  tenant: env.VITE_TENANT || 'TMPRODB88619984',
  clientId: env.VITE_CLIENT_ID || 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  apiUrl: trimSlash(env.VITE_API_URL || 'http://localhost:8081'),
  /**
   * Default 'memory', the SDK's default: a reload signs out of the SPA, and each tab signs in on
   * its own. 'indexeddb' shares one session between the tabs and survives reloads, but any script
   * on the page can read the refresh token. 'local' (localStorage) is not safe for tabs sharing a
   * session: in Chromium two tabs refreshing at once may both spend the refresh token.
   */
  tokenStore: readTokenStore(env.VITE_TOKEN_STORE),
  /** Seconds before expiry at which the access token is refreshed. Default: the SDK's (30). */
  refreshLeewaySeconds: readLeewaySeconds(env.VITE_REFRESH_LEEWAY_SECONDS),
  /** Registered for the client exactly; this app serves /callback itself. */
  redirectUri: `${window.location.origin}/callback`,
  /**
   * Always requested: OpenID Connect, so the demo can show the username (userinfo) and sign-out
   * ends the Gatehouse session at once (the ID token is the logout hint).
   */
  identityScopes: 'openid profile',
  /** API scopes the sign-in form offers, all checked by default. */
  scopes: Object.freeze([
    { name: 'core.aiservices.read', label: 'Read answers' },
    { name: 'core.aiservices.write', label: 'Ask questions (create answers)' },
  ]),
});

/** The two kinds of people who sign in: each has its own realm, so its own issuer. */
export type RealmKey = 'agent' | 'customer';

export interface RealmInfo {
  readonly key: RealmKey;
  /** `{TENANT}-U` for agents, `{TENANT}-C` for customers. */
  readonly id: string;
  readonly issuer: string;
  /** "an agent" / "a customer", for sentences. */
  readonly article: string;
}

export function realmInfo(key: RealmKey): RealmInfo {
  const id = `${config.tenant}-${key === 'agent' ? 'U' : 'C'}`;
  return {
    key,
    id,
    issuer: `${config.gatehouseUrl}/system/auth/${id}`,
    article: key === 'agent' ? 'an agent' : 'a customer',
  };
}

export function isRealmKey(value: unknown): value is RealmKey {
  return value === 'agent' || value === 'customer';
}
