import { InvalidScope } from '../errors.js';
import { parseScope } from '../scope.js';
import type { Client } from '../model.js';

/**
 * The requested scopes of an authorization request. `scope` is required here (RFC 6749 §3.3 lets
 * the server refuse a request without one: we have no default scope). Any combination of the
 * client's assigned scopes may be asked for in one request; the built-in OpenID scopes
 * (`built-in-scopes.ts`) may be asked for by every client without being assigned.
 */
export function checkRequestedScopes(
  scope: string | undefined,
  client: Client,
  builtInScopes: ReadonlySet<string>,
): string[] {
  if (scope === undefined || scope === '') throw new InvalidScope('scope is required');
  const scopes = parseScope(scope);
  if (!scopes) throw new InvalidScope('scope is malformed');
  const assigned = new Set(client.scopes);
  const refused = scopes.filter((name) => !assigned.has(name) && !builtInScopes.has(name));
  if (refused.length > 0) throw new InvalidScope(`scope not allowed for this client: ${refused.join(' ')}`);
  return scopes;
}
