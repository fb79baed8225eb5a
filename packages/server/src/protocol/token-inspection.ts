import type { IdTokenSigningAlg } from './model.js';
import type { JWTPayload } from 'jose';
import type { Realm } from './model.js';
import type { Clock, RefreshTokenRecord, RefreshTokenRepository, RevokedTokenRepository } from './ports.js';
import { hashOpaqueSecret } from './secrets.js';

/** Verifies a JWT this server signed (signature, typ, iss, exp); undefined if it does not. */
export type OwnJwtVerifier = (
  tenantId: string,
  token: string,
  expected: { typ: string; issuer: string; allowExpired?: boolean; algorithms?: readonly IdTokenSigningAlg[] },
) => Promise<JWTPayload | undefined>;

export interface TokenInspectionDeps {
  readonly verifyJwt: OwnJwtVerifier;
  readonly revokedTokens: RevokedTokenRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly clock: Clock;
}

export type InspectedToken =
  | { readonly kind: 'access_token'; readonly claims: JWTPayload & { jti: string; client_id: string } }
  | { readonly kind: 'refresh_token'; readonly record: RefreshTokenRecord };

/**
 * Finds out what a presented token is, for revocation and introspection: a live access token of
 * this realm (signature, expiry and the deny-list checked) or a refresh token of this realm
 * (live or not: revocation must find retired ones too). `hint` only orders the look-ups
 * (RFC 7009 §2.1, RFC 7662 §2.1).
 */
export async function inspectToken(
  deps: TokenInspectionDeps,
  realm: Realm,
  token: string,
  hint: string | undefined,
): Promise<InspectedToken | undefined> {
  const lookups = hint === 'refresh_token' ? [findRefresh, findAccess] : [findAccess, findRefresh];
  for (const lookup of lookups) {
    const found = await lookup(deps, realm, token);
    if (found) return found;
  }
  return undefined;
}

async function findAccess(deps: TokenInspectionDeps, realm: Realm, token: string): Promise<InspectedToken | undefined> {
  if (token.split('.').length !== 3) return undefined;
  const claims = await deps.verifyJwt(realm.tenantId, token, { typ: 'at+jwt', issuer: realm.issuer });
  if (!claims || typeof claims.jti !== 'string' || typeof claims.client_id !== 'string') return undefined;
  if (await deps.revokedTokens.isAccessTokenRevoked(claims.jti)) return undefined;
  return { kind: 'access_token', claims: claims as JWTPayload & { jti: string; client_id: string } };
}

async function findRefresh(
  deps: TokenInspectionDeps,
  realm: Realm,
  token: string,
): Promise<InspectedToken | undefined> {
  const record = await deps.refreshTokens.findByHash(hashOpaqueSecret(token));
  if (!record || record.realmId !== realm.id) return undefined;
  return { kind: 'refresh_token', record };
}

export function refreshTokenIsActive(record: RefreshTokenRecord, now: number): boolean {
  return (
    record.rotatedAt === null && record.revokedAt === null && record.familyExpiresAt > now && record.idleExpiresAt > now
  );
}
