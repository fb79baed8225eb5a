/**
 * The demo's settings, fixed at build time from Vite env variables (`VITE_*`, e.g. in
 * `.env.local` or the environment of `vite` / `vite build`). The defaults match `npm start`.
 */
const env = import.meta.env;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export const config = Object.freeze({
  gatehouseUrl: trimSlash(env.VITE_GATEHOUSE_URL || 'http://localhost:8080'),
  tenant: env.VITE_TENANT || 'TMPRODB88619984',
  clientId: env.VITE_CLIENT_ID || 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  apiUrl: trimSlash(env.VITE_API_URL || 'http://localhost:8081'),
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
  return { key, id, issuer: `${config.gatehouseUrl}/system/auth/${id}`, article: key === 'agent' ? 'an agent' : 'a customer' };
}

export function isRealmKey(value: unknown): value is RealmKey {
  return value === 'agent' || value === 'customer';
}
