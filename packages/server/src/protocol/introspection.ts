import type { Realm } from './model.js';
import { inspectToken, refreshTokenIsActive, type TokenInspectionDeps } from './token-inspection.js';

/**
 * RFC 7662 §2.2 introspection response. Anything not active, for whatever reason, is just
 * `{ active: false }`: the caller learns nothing more about tokens that do not work.
 */
export async function introspectToken(
  deps: TokenInspectionDeps,
  realm: Realm,
  token: string,
  hint: string | undefined,
): Promise<Record<string, unknown>> {
  const found = await inspectToken(deps, realm, token, hint);
  if (!found) return { active: false };
  if (found.kind === 'access_token') {
    const { claims } = found;
    return {
      active: true,
      token_type: 'Bearer',
      scope: claims.scope,
      client_id: claims.client_id,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      tenant_id: claims.tenant_id,
      actor: claims.actor,
    };
  }
  const { record } = found;
  if (!refreshTokenIsActive(record, deps.clock.nowSeconds())) return { active: false };
  return {
    active: true,
    token_type: 'refresh_token',
    scope: record.scopes.join(' '),
    client_id: record.clientId,
    sub: record.userId,
    iss: realm.issuer,
    exp: Math.min(record.familyExpiresAt, record.idleExpiresAt),
    iat: record.createdAt,
    tenant_id: record.tenantId,
    actor: realm.actor,
  };
}
