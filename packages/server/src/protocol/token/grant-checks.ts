import { InvalidGrant } from '../errors.js';
import type { Client, User } from '../model.js';
import { scopesCovered } from '../scope.js';

export interface GrantCheckDeps {
  readonly findUser: (tenantId: string, userId: string) => Promise<User | undefined>;
  readonly grantedScopes: (userId: string, clientId: string) => Promise<readonly string[]>;
}

/**
 * A grant keeps working only while everything it was based on still holds: the client and the
 * person are enabled, the password has not changed since, and (for clients that ask for
 * consent) the person has not withdrawn it. Any failure is invalid_grant (RFC 6749 §5.2).
 */
export async function checkGrantStillValid(
  deps: GrantCheckDeps,
  input: { client: Client; tenantId: string; userId: string; scopes: readonly string[]; grantedAt: number },
): Promise<User> {
  if (input.client.disabled) throw new InvalidGrant('the client is disabled');
  const user = await deps.findUser(input.tenantId, input.userId);
  if (!user || user.disabled) throw new InvalidGrant('the account is disabled');
  if (user.passwordChangedAt > input.grantedAt) throw new InvalidGrant('the grant ended when the password changed');
  if (input.client.consentMode === 'required') {
    if (!scopesCovered(input.scopes, await deps.grantedScopes(input.userId, input.client.clientId))) {
      throw new InvalidGrant('consent for this grant was withdrawn');
    }
  }
  return user;
}
