import { enforcePolicy, resolvePolicy, type AccessPolicy, type ResolvedPolicy } from './access-policy.js';
import type { AccessTokenClaims } from './claims.js';
import { InsufficientScopeError, ResourceError, type ResourceErrorCode } from './errors.js';
import { readBearerToken } from './read-bearer-token.js';
import type { Verifier } from './verify-access-token.js';
import { assertRealm, formatBearerChallenge } from './www-authenticate.js';

/** Anything with Node-style lower-cased headers: `IncomingMessage`, a Fastify or Express request. */
export interface RequestWithHeaders {
  headers: { authorization?: string | readonly string[] | undefined };
}

export interface AuthenticateRequestOptions extends AccessPolicy {
  /** The `realm` of the challenge (RFC 7235 §2.2). Default is the verifier's audience. */
  realm?: string;
}

/** JSON body of a failure. `error` is absent when the request had no credentials (RFC 6750 §3.1). */
export interface ErrorBody {
  error?: ResourceErrorCode;
  error_description: string;
}

export type AuthenticationResult =
  | { ok: true; claims: AccessTokenClaims }
  | {
      ok: false;
      status: 400 | 401 | 403 | 503;
      /** The OAuth error code, or `undefined` when the request carried no Bearer credentials. */
      error: ResourceErrorCode | undefined;
      /** Value for the `WWW-Authenticate` response header. */
      wwwAuthenticate: string;
      body: ErrorBody;
      /** The error behind the failure, with its log-only `detail`; `undefined` for a missing token. */
      cause: ResourceError | undefined;
    };

/**
 * Authenticates an HTTP request carrying a Bearer access token and says what to answer, without
 * depending on any web framework. The token is read only from the Authorization header; a
 * `access_token` query parameter is ignored.
 *
 * | situation | status | `WWW-Authenticate` |
 * | --- | --- | --- |
 * | no Bearer credentials | 401 | `Bearer realm="…"` (no error code, RFC 6750 §3.1) |
 * | malformed header, several credentials | 400 | `…, error="invalid_request", error_description="…"` |
 * | invalid, expired, badly signed token | 401 | `…, error="invalid_token", error_description="…"` |
 * | missing scope (`requiredScopes`, `anyScope`) | 403 | `…, error="insufficient_scope", error_description="…", scope="…"` |
 * | a claim check refused (`actor`, `tenant`, `check`) | 403 | `…, error="insufficient_scope", error_description="…"` |
 * | token introspection reports inactive (revoked) | 401 | `…, error="invalid_token", error_description="…"` |
 * | issuer's keys or introspection endpoint unreachable | 503 | `Bearer realm="…"` |
 *
 * Other errors (bugs, bad options) are thrown, for the framework to answer with 500; the policy
 * options are validated on each call, so prefer the Express or Fastify helpers, which validate
 * them once when the route is declared. Like
 * {@link verifyAccessToken}, this checks revocation only when the verifier has `introspection`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3 The WWW-Authenticate Response Header Field
 */
export async function authenticateRequest(
  request: RequestWithHeaders,
  verifier: Verifier,
  options: AuthenticateRequestOptions = {},
): Promise<AuthenticationResult> {
  const realm = assertRealm(options.realm ?? verifier.audience);
  return authenticateWithPolicy(request, verifier, resolvePolicy(options, 'options'), realm);
}

/** {@link authenticateRequest} with a policy and realm validated beforehand. */
export async function authenticateWithPolicy(
  request: RequestWithHeaders,
  verifier: Verifier,
  policy: ResolvedPolicy,
  realm: string,
): Promise<AuthenticationResult> {
  try {
    const token = readBearerToken(request.headers.authorization);
    if (token === undefined) {
      return {
        ok: false,
        status: 401,
        error: undefined,
        wwwAuthenticate: formatBearerChallenge({ realm }),
        body: { error_description: 'The request has no access token' },
        cause: undefined,
      };
    }
    const claims = await verifier.verify(token);
    await enforcePolicy(claims, policy);
    return { ok: true, claims };
  } catch (err) {
    if (!(err instanceof ResourceError)) throw err;
    return describeFailure(err, realm);
  }
}

/** Maps one of our errors to the RFC 6750 answer. */
export function describeFailure(err: ResourceError, realm: string): AuthenticationResult & { ok: false } {
  // temporarily_unavailable is not a Bearer error code: the client did nothing wrong.
  const challenge =
    err.code === 'temporarily_unavailable'
      ? formatBearerChallenge({ realm })
      : formatBearerChallenge({
          realm,
          error: err.code,
          errorDescription: err.description,
          scope: err instanceof InsufficientScopeError && err.challengeScope ? err.challengeScope : undefined,
        });
  return {
    ok: false,
    status: err.status,
    error: err.code,
    wwwAuthenticate: challenge,
    body: { error: err.code, error_description: err.description },
    cause: err,
  };
}
