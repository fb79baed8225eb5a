import { mintAccessToken } from '../access-token.js';
import { buildIdTokenClaims } from '../id-token.js';
import type { Client, IdTokenSigningAlg, Realm, Tenant } from '../model.js';
import type { AccessTokenSigner, Clock, Random, RefreshTokenRecord } from '../ports.js';
import { hashOpaqueSecret } from '../secrets.js';
import { formatScope } from '../scope.js';
import type { TokenResponse } from './grant.js';

export interface TokenIssuerDeps {
  readonly signer: AccessTokenSigner & {
    sign(tenantId: string, claims: Record<string, unknown>, typ: string, alg?: IdTokenSigningAlg): Promise<string>;
  };
  readonly clock: Clock;
  readonly random: Random;
  readonly accessTokenTtlSeconds: number;
  readonly idTokenTtlSeconds: number;
}

/** Who a token response is for and what it grants. */
export interface TokenGrant {
  readonly realm: Realm;
  readonly tenant: Tenant;
  readonly client: Client;
  readonly userId: string;
  /** Scopes of the access token (a refresh may narrow them). */
  readonly scopes: readonly string[];
  readonly authTime: number;
  readonly jti: string;
  /** Issue time of the access token, when its expiry is stored before it is signed. */
  readonly issuedAt?: number;
}

/**
 * Mints the access token and, when asked, an id_token (OIDC: only with the `openid` scope on the
 * code exchange) for one token response.
 */
export async function mintTokens(
  deps: TokenIssuerDeps,
  grant: TokenGrant,
  idToken: { nonce: string | null } | undefined,
): Promise<{ response: Omit<TokenResponse, 'refresh_token'>; accessTokenExpiresAt: number }> {
  const accessToken = await mintAccessToken(deps, {
    realm: grant.realm,
    tenant: grant.tenant,
    clientId: grant.client.clientId,
    userId: grant.userId,
    scopes: grant.scopes,
    authTime: grant.authTime,
    jti: grant.jti,
    ttlSeconds: deps.accessTokenTtlSeconds,
    ...(grant.issuedAt !== undefined ? { issuedAt: grant.issuedAt } : {}),
  });
  const response = {
    access_token: accessToken.token,
    token_type: 'Bearer' as const,
    expires_in: accessToken.expiresIn,
    scope: formatScope(grant.scopes),
  };
  if (!idToken || !grant.scopes.includes('openid')) return { response, accessTokenExpiresAt: accessToken.expiresAt };
  const claims = buildIdTokenClaims({
    realm: grant.realm,
    clientId: grant.client.clientId,
    userId: grant.userId,
    authTime: grant.authTime,
    nonce: idToken.nonce,
    accessToken: accessToken.token,
    now: deps.clock.nowSeconds(),
    ttlSeconds: deps.idTokenTtlSeconds,
  });
  // The client's registered algorithm (OIDC Dynamic Client Registration §2, default RS256).
  const id_token = await deps.signer.sign(grant.tenant.id, claims, 'JWT', grant.client.idTokenSigningAlg);
  return { response: { ...response, id_token }, accessTokenExpiresAt: accessToken.expiresAt };
}

/** A new refresh token: 256 random bits after its issue time, stored only under its key (hashOpaqueSecret). */
export function newRefreshToken(
  random: Random,
  fields: Omit<RefreshTokenRecord, 'tokenHash' | 'rotatedAt' | 'revokedAt' | 'successorSealed'>,
): { token: string; record: RefreshTokenRecord } {
  const token = random.sortableToken(32);
  return {
    token,
    record: { ...fields, tokenHash: hashOpaqueSecret(token), rotatedAt: null, revokedAt: null, successorSealed: null },
  };
}
