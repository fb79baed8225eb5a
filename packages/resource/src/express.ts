import { resolvePolicy, type AccessPolicy } from './access-policy.js';
import { authenticateWithPolicy, type RequestWithHeaders } from './authenticate-request.js';
import type { AccessTokenClaims } from './claims.js';
import { createVerifier, type Verifier, type VerifierOptions } from './verify-access-token.js';
import { assertRealm } from './www-authenticate.js';

// Express is not imported, not even for types: these structural types fit Express 4 and 5, and
// an API on another framework does not need @types/express to compile against this package.
declare global {
  namespace Express {
    interface Request {
      /** Claims of the verified access token, set by a Gatehouse middleware. */
      gatehouse?: AccessTokenClaims;
    }
  }
}

/** The part of an Express request the middleware uses. */
export interface ExpressLikeRequest extends RequestWithHeaders {
  gatehouse?: AccessTokenClaims;
}

/** The part of an Express response the middleware uses. */
export interface ExpressLikeResponse {
  status(code: number): this;
  set(field: string, value: string): this;
  json(body: unknown): unknown;
}

/** An Express middleware: answers the failure itself, passes unexpected errors to `next(err)`. */
export type GatehouseMiddleware = (
  request: ExpressLikeRequest,
  response: ExpressLikeResponse,
  next: (error?: unknown) => void,
) => Promise<void>;

/** Options of {@link gatehouseExpress}: verifier options, or a verifier built elsewhere to share. */
export type GatehouseExpressOptions = (VerifierOptions | { verifier: Verifier }) & {
  /** The `realm` of the `WWW-Authenticate` challenge. Default is the audience. */
  realm?: string;
  /**
   * Called with each refused request's outcome, for logging: `status` 503 means the issuer's keys
   * or introspection could not be reached; `detail` is never sent to the client.
   */
  onRejected?: (rejection: { status: number; error: string | undefined; detail: string | undefined }) => void;
};

export interface GatehouseExpress {
  readonly verifier: Verifier;
  /** Middleware accepting any valid access token. */
  readonly authenticate: GatehouseMiddleware;
  /** Middleware accepting a valid access token granting every one of `scopes`. */
  requireScopes(...scopes: string[]): GatehouseMiddleware;
  /** Middleware accepting a valid access token meeting `policy` (scopes all/any, actor, tenant, custom check). */
  require(policy: AccessPolicy): GatehouseMiddleware;
}

/**
 * Protects Express routes with Gatehouse access tokens. On success the middleware sets
 * `req.gatehouse` to the verified claims and calls `next()`; otherwise it answers as RFC 6750
 * says (401 `invalid_token`, 403 `insufficient_scope`, 400 `invalid_request`, 503 when the
 * issuer is unreachable) with `WWW-Authenticate` and a JSON body `{ error, error_description }`.
 * Options and policies are validated when built, so a misconfiguration fails at start-up.
 *
 * @example
 * const auth = gatehouseExpress({ issuer, audience: 'https://api.example.test' });
 * app.get('/v1/answers', auth.require({ anyScope: ['answers.read', 'answers.admin'] }), (req, res) => {
 *   res.json({ user: req.gatehouse?.sub });
 * });
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function gatehouseExpress(options: GatehouseExpressOptions): GatehouseExpress {
  const verifier =
    'verifier' in options && options.verifier !== undefined
      ? options.verifier
      : createVerifier(options as VerifierOptions);
  const realm = assertRealm(options.realm ?? verifier.audience);
  const { onRejected } = options;
  if (onRejected !== undefined && typeof onRejected !== 'function')
    throw new TypeError('onRejected must be a function');

  function require(policy: AccessPolicy): GatehouseMiddleware {
    const resolved = resolvePolicy(policy, 'require');
    return async function gatehouseMiddleware(request, response, next) {
      let result: Awaited<ReturnType<typeof authenticateWithPolicy>>;
      try {
        result = await authenticateWithPolicy(request, verifier, resolved, realm);
      } catch (error) {
        return next(error);
      }
      if (result.ok) {
        request.gatehouse = result.claims;
        return next();
      }
      onRejected?.({ status: result.status, error: result.error, detail: result.cause?.detail });
      response.status(result.status).set('WWW-Authenticate', result.wwwAuthenticate).json(result.body);
    };
  }

  const requireScopes = (...scopes: string[]) => require({ requiredScopes: scopes });
  return Object.freeze({ verifier, authenticate: require({}), requireScopes, require });
}
