import type { User } from './model.js';

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
