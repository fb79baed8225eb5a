import type { Realm, Tenant } from './model.js';
import type { AccessTokenSigner, Clock } from './ports.js';
import { formatScope } from './scope.js';

export interface MintAccessTokenInput {
  readonly realm: Realm;
  readonly tenant: Tenant;
  readonly clientId: string;
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly authTime: number;
  readonly jti: string;
  readonly ttlSeconds: number;
  /** Issue time; default the clock's now. Given when the expiry was already recorded elsewhere. */
  readonly issuedAt?: number;
}

export interface MintedAccessToken {
  readonly token: string;
  readonly expiresIn: number;
  readonly expiresAt: number;
}

/**
 * RFC 9068 §2.2 claims: iss, exp, aud, sub, client_id, iat, jti, plus scope (§2.2.3) and
 * auth_time (§2.2.1); `tenant_id` and `actor` let an API tell agents from customers.
 */
export function buildAccessTokenClaims(input: MintAccessTokenInput, now: number): Record<string, unknown> {
  return {
    iss: input.realm.issuer,
    sub: input.userId,
    aud: input.tenant.apiDomain,
    client_id: input.clientId,
    scope: formatScope(input.scopes),
    iat: now,
    exp: now + input.ttlSeconds,
    jti: input.jti,
    auth_time: input.authTime,
    tenant_id: input.tenant.id,
    actor: input.realm.actor,
  };
}

export async function mintAccessToken(
  deps: { signer: AccessTokenSigner; clock: Clock },
  input: MintAccessTokenInput,
): Promise<MintedAccessToken> {
  const now = input.issuedAt ?? deps.clock.nowSeconds();
  const token = await deps.signer.signAccessToken(input.tenant.id, buildAccessTokenClaims(input, now));
  return { token, expiresIn: input.ttlSeconds, expiresAt: now + input.ttlSeconds };
}
