import { InsufficientScope, InvalidToken, type OAuthError } from './errors.js';
import type { Client, Realm, User } from './model.js';
import type { ClientDirectory, UserDirectory } from './ports.js';
import { parseScope } from './scope.js';
import { inspectToken, type TokenInspectionDeps } from './token-inspection.js';

/**
 * OIDC Core §5.3.2 UserInfo response: `sub` always; `profile` adds preferred_username, `email`
 * adds email and email_verified (Gatehouse does not verify addresses, so it says so).
 */
export function userInfoClaims(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('profile')) claims.preferred_username = user.username;
  if (scopes.includes('email') && user.email) {
    claims.email = user.email;
    claims.email_verified = false;
  }
  return claims;
}

export interface UserInfoDeps extends TokenInspectionDeps {
  readonly clients: Pick<ClientDirectory, 'findById'>;
  readonly users: Pick<UserDirectory, 'findById'>;
}

/**
 * OIDC Core §5.3: the claims for a bearer access token of this realm that carries `openid`, or
 * the error to answer (invalid_token: not a live access token of this realm, or the person is
 * disabled; insufficient_scope: no `openid`, RFC 6750 §3.1). `client` is the token's client when
 * it is known, so its origins may read the answer.
 */
export async function readUserInfo(
  deps: UserInfoDeps,
  realm: Realm,
  token: string,
): Promise<
  { readonly client: Client | undefined } & (
    | { readonly ok: true; readonly claims: Record<string, unknown> }
    | { readonly ok: false; readonly error: OAuthError }
  )
> {
  const found = await inspectToken(deps, realm, token, 'access_token');
  if (found?.kind !== 'access_token')
    return { client: undefined, ok: false, error: new InvalidToken('the access token is invalid, expired or revoked') };
  const client = await deps.clients.findById(found.claims.client_id);
  const scopes = parseScope(String(found.claims.scope ?? '')) ?? [];
  if (!scopes.includes('openid'))
    return { client, ok: false, error: new InsufficientScope('the access token lacks the openid scope') };
  const user = await deps.users.findById(realm.tenantId, String(found.claims.sub));
  if (!user || user.disabled) return { client, ok: false, error: new InvalidToken('the account is no longer active') };
  return { client, ok: true, claims: userInfoClaims(user, scopes) };
}
