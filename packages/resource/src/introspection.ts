import type { AccessTokenClaims } from './claims.js';
import { InvalidTokenError } from './errors.js';
import { formatBasicCredentials, postIntrospection, type IntrospectionFetchLike } from './fetch-introspection.js';
import { readFunction, readNonEmptyString, readPerIssuerUrls, readSeconds } from './options.js';

/**
 * Opt-in revocation check (RFC 7662) for APIs that must stop accepting a token the moment it is
 * revoked, at the price of one request to the authorization server per verification (or per
 * token and `cacheSeconds`). Every duration is in seconds; fractions are allowed.
 */
export interface IntrospectionOptions {
  /**
   * Client ID of a confidential (`web`) client of the issuers' tenant; Gatehouse refuses
   * introspection to public clients and to anonymous callers.
   */
  clientId: string;
  /** That client's secret, sent with client_secret_basic (RFC 6749 §2.3.1). */
  clientSecret: string;
  /**
   * The introspection endpoint of an issuer. A string is only accepted with a single issuer.
   * Default is `${issuer}/oauth2/introspect`, the address Gatehouse publishes in its discovery
   * document as `introspection_endpoint`.
   */
  endpoint?: string | ((issuer: string) => string);
  /**
   * How long an answer about one token is reused. Default is 0: every verification asks, so a
   * revoked token is refused at once. A positive value trades that for fewer requests: a token
   * revoked within this window may still be accepted until the window ends. An answer is never
   * kept beyond the token's `exp`.
   */
  cacheSeconds?: number;
  /** An introspection request (including reading its body) is aborted after this. Default is 5. */
  timeoutSeconds?: number;
  /** Replaces the global `fetch` (tests, proxies). */
  fetch?: IntrospectionFetchLike;
}

/** The defaults of {@link IntrospectionOptions}, in seconds. */
export const INTROSPECTION_DEFAULTS = Object.freeze({ cacheSeconds: 0, timeoutSeconds: 5 });

/** Cached answers are capped so that a flood of distinct valid tokens cannot grow memory without bound. */
const MAX_CACHED_ANSWERS = 10_000;

/** Asks the issuer whether a token that passed local verification is still active. */
export interface Introspector {
  /** Throws `InvalidTokenError` when the issuer says the token is not active, `TemporarilyUnavailableError` when it cannot say. */
  assertActive(token: string, claims: AccessTokenClaims): Promise<void>;
}

interface CachedAnswer {
  active: boolean;
  /** Milliseconds since the epoch. */
  until: number;
}

/**
 * Builds the introspection check of a verifier, validating its options (a bad one throws
 * `TypeError` at start-up), or returns undefined when introspection is not configured.
 */
export function createIntrospector(
  options: IntrospectionOptions | undefined,
  issuers: readonly string[],
  now: () => number,
): Introspector | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) throw new TypeError('introspection must be an object');
  const defaults = INTROSPECTION_DEFAULTS;
  const authorization = formatBasicCredentials(
    readNonEmptyString(options.clientId, 'introspection.clientId'),
    readNonEmptyString(options.clientSecret, 'introspection.clientSecret'),
  );
  const endpoints = readPerIssuerUrls(issuers, options.endpoint, 'introspection.endpoint', '/oauth2/introspect');
  const cacheMs =
    readSeconds(options.cacheSeconds, 'introspection.cacheSeconds', defaults.cacheSeconds, { allowZero: true }) * 1000;
  // AbortSignal.timeout takes whole milliseconds.
  const timeoutMs = Math.ceil(
    readSeconds(options.timeoutSeconds, 'introspection.timeoutSeconds', defaults.timeoutSeconds, { allowZero: false }) *
      1000,
  );
  const fetchImpl = readFunction<IntrospectionFetchLike>(options.fetch, 'introspection.fetch', (url, init) =>
    globalThis.fetch(url, init),
  );
  const answers = new Map<string, CachedAnswer>();
  const inFlight = new Map<string, Promise<boolean>>();

  function remember(token: string, active: boolean, until: number): void {
    answers.delete(token);
    if (answers.size >= MAX_CACHED_ANSWERS) {
      const time = now();
      for (const [key, answer] of answers) if (answer.until <= time) answers.delete(key);
      // Still full of live answers: drop the oldest (a Map iterates in insertion order).
      for (const key of answers.keys()) {
        if (answers.size < MAX_CACHED_ANSWERS) break;
        answers.delete(key);
      }
    }
    answers.set(token, { active, until });
  }

  function isActive(token: string, claims: AccessTokenClaims): Promise<boolean> {
    const endpoint = endpoints.get(claims.issuer) as string;
    if (cacheMs === 0) return postIntrospection(endpoint, authorization, token, fetchImpl, timeoutMs);
    const cached = answers.get(token);
    if (cached !== undefined && cached.until > now()) return Promise.resolve(cached.active);
    // Concurrent verifications of one token share a single request.
    let pending = inFlight.get(token);
    if (pending === undefined) {
      pending = postIntrospection(endpoint, authorization, token, fetchImpl, timeoutMs)
        .then((active) => {
          remember(token, active, Math.min(now() + cacheMs, claims.expiresAt.getTime()));
          return active;
        })
        .finally(() => inFlight.delete(token));
      inFlight.set(token, pending);
    }
    return pending;
  }

  return Object.freeze({
    async assertActive(token: string, claims: AccessTokenClaims): Promise<void> {
      if (!(await isActive(token, claims))) {
        // Within the local clock tolerance a just-expired token passes the JWT checks; the
        // authorization server then calls it inactive because it expired, not because it was revoked.
        const expired = claims.expiresAt.getTime() <= now();
        throw new InvalidTokenError(expired ? 'The access token expired' : 'The access token was revoked', {
          detail: `introspection at ${endpoints.get(claims.issuer)} answered active: false (jti ${claims.jti})`,
        });
      }
    },
  });
}
