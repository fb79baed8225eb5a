import { InvalidScope } from '../errors.js';
import { parseScope } from '../scope.js';
import type { Client } from '../model.js';

/**
 * The seed makes scope required; any combination of the client's assigned scopes may be asked
 * for in one request (RFC 6749 §3.3). Built-in scopes (e.g. `openid`) are passed in separately.
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
