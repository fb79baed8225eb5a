import type { JWTPayload } from 'jose';
import { InvalidTokenError } from './errors.js';
import { parseScopeClaim } from './scope.js';

/** Who the token was issued to: an agent of the tenant (`-U` realm) or one of its customers (`-C`). */
export type Actor = 'user' | 'customer';

/** The verified content of a Gatehouse access token, as a domain object. */
export interface AccessTokenClaims {
  /** `sub`: the user id. */
  readonly sub: string;
  /** `client_id`: the OAuth client the token was issued to. */
  readonly clientId: string;
  /** `scope`, split on spaces; empty when the claim is absent. */
  readonly scopes: string[];
  /** `tenant_id`, e.g. `TMPRODB88619984`. */
  readonly tenant: string;
  readonly actor: Actor;
  /** `iss`: the realm issuer that signed the token. */
  readonly issuer: string;
  /** `aud`, always as a list. */
  readonly audience: string[];
  readonly expiresAt: Date;
  readonly issuedAt: Date;
  /** `auth_time`, when the authorization server included it. */
  readonly authTime: Date | undefined;
  readonly jti: string;
  /** The whole verified payload, including claims this type does not name. */
  readonly raw: Readonly<JWTPayload>;
}

/**
 * Maps a payload whose signature, `iss`, `aud`, `exp` and `nbf` jose has already checked into
 * {@link AccessTokenClaims}, rejecting claims of the wrong type (RFC 9068 §2.2).
 */
export function toAccessTokenClaims(payload: JWTPayload): AccessTokenClaims {
  const scope = payload['scope'];
  if (scope !== undefined && typeof scope !== 'string') throw invalidClaim('scope');
  const authTime = payload['auth_time'];
  if (authTime !== undefined && !isNumericDate(authTime)) throw invalidClaim('auth_time');
  const actor = requireString(payload, 'actor');
  if (actor !== 'user' && actor !== 'customer') throw invalidClaim('actor');
  return Object.freeze({
    sub: requireString(payload, 'sub'),
    clientId: requireString(payload, 'client_id'),
    scopes: scope === undefined ? [] : parseScopeClaim(scope),
    tenant: requireString(payload, 'tenant_id'),
    actor,
    issuer: requireString(payload, 'iss'),
    audience: readAudience(payload.aud),
    expiresAt: fromNumericDate(requireNumericDate(payload, 'exp')),
    issuedAt: fromNumericDate(requireNumericDate(payload, 'iat')),
    authTime: authTime === undefined ? undefined : fromNumericDate(authTime),
    jti: requireString(payload, 'jti'),
    raw: Object.freeze({ ...payload }),
  });
}

function requireString(payload: JWTPayload, claim: string): string {
  const value = payload[claim];
  if (value === undefined) throw missingClaim(claim);
  if (typeof value !== 'string' || value === '') throw invalidClaim(claim);
  return value;
}

function requireNumericDate(payload: JWTPayload, claim: string): number {
  const value = payload[claim];
  if (value === undefined) throw missingClaim(claim);
  if (!isNumericDate(value)) throw invalidClaim(claim);
  return value;
}

function readAudience(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((value) => typeof value === 'string')) return [...aud];
  throw invalidClaim('aud');
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function fromNumericDate(seconds: number): Date {
  return new Date(seconds * 1000);
}

export function missingClaim(claim: string): InvalidTokenError {
  return new InvalidTokenError(`The access token is missing the "${claim}" claim`);
}

export function invalidClaim(claim: string): InvalidTokenError {
  return new InvalidTokenError(`The access token has an invalid "${claim}" claim`);
}
