/** Domain objects shared by the protocol rules. Wire fields stay snake_case; these are camelCase. */

export type Actor = 'user' | 'customer';
export type Platform = 'spa' | 'web';
export type ResourceType = 'user' | 'customer' | 'global';
export type ConsentMode = 'required' | 'skip';
/**
 * How a client's ID Tokens are signed (`id_token_signed_response_alg`, OpenID Connect Dynamic
 * Client Registration 1.0 §2: RS256 unless the client asks otherwise).
 */
export type IdTokenSigningAlg = 'RS256' | 'ES256';
export const ID_TOKEN_SIGNING_ALGS: readonly IdTokenSigningAlg[] = ['RS256', 'ES256'];

/** A tenant together with one kind of actor: its own issuer, user directory and sessions. */
export interface Realm {
  /** `{TENANT}-U` or `{TENANT}-C` */
  readonly id: string;
  readonly tenantId: string;
  readonly actor: Actor;
  readonly issuer: string;
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** The API the tenant's access tokens are for: their `aud`. */
  readonly apiDomain: string;
}

export interface Client {
  readonly clientId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly platform: Platform;
  readonly resourceType: ResourceType;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
  readonly consentMode: ConsentMode;
  /** argon2id hash of the client secret; null for public clients. */
  readonly secretHash: string | null;
  /** Exact URIs end_session may send the person back to (OIDC RP-Initiated Logout §3). */
  readonly postLogoutRedirectUris: readonly string[];
  readonly refreshTokens: RefreshTokenPolicy;
  /** The algorithm of its ID Tokens; access tokens are ES256 whatever this says. */
  readonly idTokenSigningAlg: IdTokenSigningAlg;
  /** A disabled client is refused everywhere; its grants stop working at once. */
  readonly disabled: boolean;
  /** After a secret rotation with an overlap: the replaced secret's hash, valid until `expiresAt`. */
  readonly previousSecret?: { readonly hash: string; readonly expiresAt: number };
}

/** Per-client refresh-token rules (RFC 9700 §4.14, OAuth 2.1 §4.3). */
export interface RefreshTokenPolicy {
  readonly enabled: boolean;
  /** Lifetime of a rotation family from the code exchange; rotation never extends it. */
  readonly absoluteTtlSeconds: number;
  /** A refresh token unused for this long expires. */
  readonly idleTtlSeconds: number;
  /** Seconds after a rotation in which a duplicate refresh gets the same answer; 0 = off. */
  readonly graceSeconds: number;
}

export const DEFAULT_REFRESH_POLICY: Readonly<Record<Platform, RefreshTokenPolicy>> = Object.freeze({
  spa: { enabled: true, absoluteTtlSeconds: 604_800, idleTtlSeconds: 86_400, graceSeconds: 0 },
  web: { enabled: false, absoluteTtlSeconds: 604_800, idleTtlSeconds: 86_400, graceSeconds: 0 },
});

export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly actor: Actor;
  readonly username: string;
  readonly email: string | null;
  readonly passwordHash: string;
  readonly disabled: boolean;
  /** When the password was last set; refresh tokens older than this stop working. */
  readonly passwordChangedAt: number;
}

export interface Session {
  readonly id: string;
  readonly realmId: string;
  readonly userId: string;
  readonly authTime: number;
  readonly expiresAt: number;
}

/** A validated authorization request, kept server-side while the person signs in and consents. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string | undefined;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
  readonly nonce: string | undefined;
  /** OIDC Core §3.1.2.1 `login_hint`: prefills the username on the login page. */
  readonly loginHint?: string;
  /** OIDC Core §3.1.2.1 `ui_locales`: the languages the person prefers, in order. */
  readonly uiLocales?: string;
}

/** An authorization request waiting for the person to sign in and consent, bound to their browser. */
export interface PendingAuthorization extends AuthorizationRequest {
  readonly id: string;
  readonly realmId: string;
  readonly browserHash: string;
  readonly csrfToken: string;
  readonly userId: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export const ACTOR_SUFFIX: Record<Actor, string> = { user: 'U', customer: 'C' };

const REALM_ID = /^([A-Z0-9]{1,64})-([UC])$/;
export const TENANT_ID = /^[A-Z0-9]{1,64}$/;

export function realmIdFor(tenantId: string, actor: Actor): string {
  return `${tenantId}-${ACTOR_SUFFIX[actor]}`;
}

/** The issuer of a realm: one per tenant and actor, under the server's public URL (RFC 8414 §2). */
export function issuerFor(publicUrl: string, realmId: string): string {
  return `${publicUrl}/system/auth/${realmId}`;
}

/** Parses `TMPRODB88619984-U` into tenant and actor, or undefined if it is not a realm id. */
export function parseRealmId(realmId: string): { tenantId: string; actor: Actor } | undefined {
  const match = REALM_ID.exec(realmId);
  if (!match) return undefined;
  return { tenantId: match[1]!, actor: match[2] === 'U' ? 'user' : 'customer' };
}

/** The client is registered for this realm's tenant and actor (enabled or not). */
export function clientBelongsToRealm(client: Client, realm: Realm): boolean {
  return (
    client.tenantId === realm.tenantId && (client.resourceType === 'global' || client.resourceType === realm.actor)
  );
}

/** The client may start authorization requests in this realm. */
export function clientAllowedInRealm(client: Client, realm: Realm): boolean {
  return !client.disabled && clientBelongsToRealm(client, realm);
}
