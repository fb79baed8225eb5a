import { InvalidRequest } from './errors.js';
import type { Client, Realm } from './model.js';
import { inspectToken, type TokenInspectionDeps } from './token-inspection.js';

/**
 * RFC 7009 §2.1: revoke a token the calling client holds. A refresh token takes its whole family
 * with it (and the access tokens issued with it); an access token is deny-listed until it
 * expires. Unknown or already invalid tokens are not an error (§2.2: answer 200 regardless), but
 * a token that belongs to another client is refused and left alone.
 */
export async function revokeToken(
  deps: TokenInspectionDeps,
  realm: Realm,
  client: Client,
  token: string,
  hint: string | undefined,
): Promise<void> {
  const found = await inspectToken(deps, realm, token, hint);
  if (!found) return;
  const now = deps.clock.nowSeconds();
  if (found.kind === 'refresh_token') {
    if (found.record.clientId !== client.clientId) throw new InvalidRequest('the token was not issued to this client');
    await deps.refreshTokens.revokeFamilies({ familyId: found.record.familyId }, now);
    return;
  }
  if (found.claims.client_id !== client.clientId) throw new InvalidRequest('the token was not issued to this client');
  await deps.revokedTokens.revokeAccessToken(found.claims.jti, realm.id, Number(found.claims.exp ?? now));
}
