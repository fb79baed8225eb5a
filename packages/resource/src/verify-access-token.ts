import { jwtVerify, type JWTPayload } from 'jose';
import { toAccessTokenClaims, type AccessTokenClaims } from './claims.js';
import { InsufficientScopeError, InvalidTokenError } from './errors.js';
import { ACCESS_TOKEN_ALGORITHM, checkTokenHeader, readTrustedIssuer } from './inspect-unverified-token.js';
import { createIntrospector, type IntrospectionOptions } from './introspection.js';
import { createJwksStore, type JwksStore } from './jwks-store.js';
import { mapJoseError } from './map-jose-error.js';
import { readFunction, readHttpUrl, readPerIssuerUrls, readSeconds } from './options.js';
import { assertRequiredScopes } from './scope.js';

/** Trust exactly one issuer, or several (e.g. the `-U` and `-C` realms of a tenant). */
export type IssuerOptions =
  | {
      /** The realm issuer, e.g. `http://localhost:8080/system/auth/TENANT-U`. */
      issuer: string;
      issuers?: undefined;
    }
  | {
      /** Every realm issuer this API accepts tokens from. */
      issuers: readonly string[];
      issuer?: undefined;
    };

/** Options of {@link createVerifier}. */
export type VerifierOptions = IssuerOptions & {
  /** This API's identifier, e.g. `https://api.example.test`; the token's `aud` must include it. */
  audience: string;
  /** Allowed clock skew for `exp`, `nbf` and `iat`. Seconds. Default is 5. */
  clockToleranceSeconds?: number;
  /**
   * Where the public keys come from. Default for {@link createVerifier} is a store of its own with
   * default settings; for {@link verifyAccessToken} a store shared by every call in the process.
   */
  jwks?: JwksStore;
  /**
   * The key set address of an issuer. A string is only accepted with a single issuer. Default is
   * `${issuer}/oauth2/jwks`, the address Gatehouse publishes in its discovery document.
   */
  jwksUri?: string | ((issuer: string) => string);
  /**
   * Also ask the issuer, after local verification, whether the token is still active (RFC 7662),
   * so a revoked token is refused before its `exp`. Off by default: it costs a request to the
   * authorization server per verification (see `cacheSeconds`) and makes the API depend on the
   * server being reachable (503 when it is not).
   */
  introspection?: IntrospectionOptions;
  /** Clock in milliseconds since the epoch. Default is `Date.now`; tests pass a fake one. */
  now?: () => number;
};

/** Per-call options of {@link Verifier.verify}. */
export interface VerifyOptions {
  /** Every one of these must be in the token's `scope`, else `InsufficientScopeError`. */
  requiredScopes?: readonly string[];
}

/** Verifies access tokens for one API. Build it once at start-up; it keeps its key cache. */
export interface Verifier {
  readonly audience: string;
  readonly issuers: readonly string[];
  /** See {@link verifyAccessToken}. */
  verify(token: string, options?: VerifyOptions): Promise<AccessTokenClaims>;
}

/** The defaults of {@link VerifierOptions}. */
export const VERIFIER_DEFAULTS = Object.freeze({ clockToleranceSeconds: 5 });

// RFC 9068 §2.2 requires iss, exp, aud, sub, client_id, iat, jti.
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'];

/**
 * Builds a {@link Verifier}. Options are validated here; a bad one throws `TypeError`, so a
 * misconfigured API fails at start-up.
 *
 * @example
 * const verifier = createVerifier({
 *   issuer: 'https://auth.example.test/system/auth/TENANT-U',
 *   audience: 'https://api.example.test',
 * });
 * const claims = await verifier.verify(token, { requiredScopes: ['core.aiservices.read'] });
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const issuers = readIssuers(options);
  const audience = options.audience;
  if (typeof audience !== 'string' || audience === '') throw new TypeError('audience must be a non-empty string');
  const toleranceSeconds = readSeconds(
    options.clockToleranceSeconds,
    'clockToleranceSeconds',
    VERIFIER_DEFAULTS.clockToleranceSeconds,
    { allowZero: true },
  );
  const jwksUris = readPerIssuerUrls(issuers, options.jwksUri, 'jwksUri', '/oauth2/jwks');
  const store = options.jwks ?? createJwksStore();
  if (typeof store.getKey !== 'function') throw new TypeError('jwks must be a store made by createJwksStore()');
  const now = readFunction(options.now, 'now', Date.now);
  const introspector = createIntrospector(options.introspection, issuers, now);
  const trusted: ReadonlySet<string> = new Set(issuers);

  async function verify(token: string, verifyOptions: VerifyOptions = {}): Promise<AccessTokenClaims> {
    const requiredScopes = assertRequiredScopes(verifyOptions.requiredScopes ?? [], 'requiredScopes');
    if (typeof token !== 'string' || token === '') throw new InvalidTokenError('The access token is malformed');
    checkTokenHeader(token);
    const issuer = readTrustedIssuer(token, trusted);
    const jwksUri = jwksUris.get(issuer) as string;
    const currentDate = new Date(now());
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => store.getKey(jwksUri, header), {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer,
        audience,
        clockTolerance: toleranceSeconds,
        currentDate,
        requiredClaims: REQUIRED_CLAIMS,
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    // jose only checks iat against the clock when maxTokenAge is set.
    if ((payload.iat as number) > currentDate.getTime() / 1000 + toleranceSeconds) {
      throw new InvalidTokenError('The access token was issued in the future', { detail: `iat ${payload.iat}` });
    }
    const claims = toAccessTokenClaims(payload);
    // Only a token that passed every local check costs a request; a revoked token is 401 even
    // when it also lacks a scope.
    if (introspector !== undefined) await introspector.assertActive(token, claims);
    if (!requiredScopes.every((scope) => claims.scopes.includes(scope))) {
      throw new InsufficientScopeError(requiredScopes, claims.scopes);
    }
    return claims;
  }

  return Object.freeze({ audience, issuers, verify });
}

const sharedStore = createJwksStore();

/**
 * Verifies a Gatehouse access token (a JWT following RFC 9068) and returns its claims.
 *
 * Checks, in order: the `typ` header is `at+jwt` (or `application/at+jwt`); `alg` is ES256; the
 * unverified `iss` is one of the trusted issuers (only then is its key set fetched); the signature
 * against that issuer's JWKS; `iss` and `aud`; `exp`, `nbf` and `iat` with the clock tolerance;
 * presence and type of `sub`, `client_id`, `jti`, `iat`, `exp`, `tenant_id`, `actor`; with the
 * `introspection` option, that the issuer still reports the token active (RFC 7662); and that the
 * token grants every required scope.
 *
 * Throws `InvalidTokenError` (401) for any token problem, including a token introspection reports
 * inactive; `InsufficientScopeError` (403) when a scope is missing; `TemporarilyUnavailableError`
 * (503) when the key set or the introspection endpoint cannot be reached; and `TypeError` for bad
 * options.
 *
 * Without `introspection` this does NOT check revocation: a token stays valid until `exp` even
 * after the user logs out or an administrator revokes it. It does NOT check sender constraints
 * (DPoP, mTLS), nor that `tenant_id` or `sub` are entitled to the particular resource: that is the
 * API's own authorization.
 *
 * Called repeatedly, it shares one key cache per issuer across calls (but no introspection cache);
 * prefer {@link createVerifier} to build and validate the options once.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4 Validating JWT Access Tokens
 * @see https://www.rfc-editor.org/rfc/rfc8725 JWT Best Current Practices
 */
export function verifyAccessToken(token: string, options: VerifierOptions & VerifyOptions): Promise<AccessTokenClaims> {
  const { requiredScopes, ...verifierOptions } = options;
  return createVerifier({ ...verifierOptions, jwks: options.jwks ?? sharedStore } as VerifierOptions).verify(token, {
    requiredScopes,
  });
}

function readIssuers(options: IssuerOptions): readonly string[] {
  if (options.issuer !== undefined && options.issuers !== undefined) {
    throw new TypeError('pass either issuer or issuers, not both');
  }
  const list = options.issuer !== undefined ? [options.issuer] : options.issuers;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('issuer or issuers is required');
  const name = (index: number) => (options.issuer !== undefined ? 'issuer' : `issuers[${index}]`);
  return Object.freeze(list.map((issuer, index) => readHttpUrl(issuer, name(index))));
}
