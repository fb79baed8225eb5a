import { type Client, clientAllowedInRealm, type Realm } from './model.js';

/** The origin (scheme://host:port) of each redirect URI. */
export function originsOf(redirectUris: readonly string[]): Set<string> {
  const origins = new Set<string>();
  for (const uri of redirectUris) {
    try {
      origins.add(new URL(uri).origin);
    } catch {
      // Registered URIs are validated at creation; an unparsable one simply grants no origin.
    }
  }
  return origins;
}

/**
 * The one rule for which browser origins may call a realm's token-style endpoints (token,
 * revocation, introspection, userinfo) when no client is known yet (a preflight, an error before
 * the client is identified): the redirect-URI origins of the clients usable in this realm, i.e.
 * of its tenant, of resource type `global` or this realm's actor, and enabled
 * (`clientAllowedInRealm`). Once the client is known, only its own redirect origins are allowed.
 * Never with credentials (OAuth 2.0 for Browser-Based Apps §6).
 */
export function realmOrigins(clients: readonly Client[], realm: Realm): Set<string> {
  return originsOf(
    clients.filter((client) => clientAllowedInRealm(client, realm)).flatMap((client) => client.redirectUris),
  );
}
