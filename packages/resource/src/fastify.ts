// Type-only import: this package never loads fastify at run time, it only shapes a preHandler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolvePolicy, type AccessPolicy } from './access-policy.js';
import { authenticateWithPolicy, type AuthenticationResult } from './authenticate-request.js';
import type { AccessTokenClaims } from './claims.js';
import { createVerifier, type Verifier, type VerifierOptions } from './verify-access-token.js';
import { assertRealm } from './www-authenticate.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Claims of the verified access token, set by a Gatehouse preHandler. */
    gatehouse?: AccessTokenClaims;
  }
}

/** Options of {@link gatehouseAuth}: verifier options, or a verifier built elsewhere to share. */
export type GatehouseAuthOptions = (VerifierOptions | { verifier: Verifier }) & {
  /** The `realm` of the `WWW-Authenticate` challenge. Default is the audience. */
  realm?: string;
};

/** A Fastify 5 `preHandler` hook. */
export type GatehousePreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface GatehouseAuth {
  readonly verifier: Verifier;
  /** preHandler that accepts any valid access token, whatever its scopes. */
  readonly authenticate: GatehousePreHandler;
  /** preHandler that accepts a valid access token granting every one of `scopes`. */
  requireScopes(...scopes: string[]): GatehousePreHandler;
  /** preHandler that accepts a valid access token meeting `policy` (scopes all/any, actor, tenant, custom check). */
  require(policy: AccessPolicy): GatehousePreHandler;
}

/**
 * Protects Fastify routes with Gatehouse access tokens. On success the preHandler sets
 * `request.gatehouse` to the claims; otherwise it answers as RFC 6750 says (see
 * {@link authenticateRequest}) with a JSON body `{ error, error_description }`, and logs the
 * reason (`debug` for client errors, `error` when the issuer's keys are unreachable).
 *
 * Options are validated here, so a misconfigured API fails at start-up, and scopes are validated
 * when the route is declared. Like {@link verifyAccessToken}, this checks revocation only with the
 * `introspection` option.
 *
 * @example
 * const auth = gatehouseAuth({ issuer, audience: 'https://api.example.test' });
 * app.get('/v1/answers', { preHandler: auth.requireScopes('core.aiservices.read') }, async (request) => {
 *   return { user: request.gatehouse?.sub };
 * });
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @see https://fastify.dev/docs/latest/Reference/Hooks/#prehandler
 */
export function gatehouseAuth(options: GatehouseAuthOptions): GatehouseAuth {
  const verifier =
    'verifier' in options && options.verifier !== undefined
      ? options.verifier
      : createVerifier(options as VerifierOptions);
  const realm = assertRealm(options.realm ?? verifier.audience);

  function require(policy: AccessPolicy): GatehousePreHandler {
    const resolved = resolvePolicy(policy, 'require');
    return async function gatehousePreHandler(request, reply) {
      const result = await authenticateWithPolicy(request, verifier, resolved, realm);
      if (result.ok) {
        request.gatehouse = result.claims;
        return undefined;
      }
      logFailure(request, result);
      return reply.code(result.status).header('www-authenticate', result.wwwAuthenticate).send(result.body);
    };
  }

  const requireScopes = (...scopes: string[]) => require({ requiredScopes: scopes });
  return Object.freeze({ verifier, authenticate: require({}), requireScopes, require });
}

function logFailure(request: FastifyRequest, result: AuthenticationResult & { ok: false }): void {
  const entry = { error: result.error, detail: result.cause?.detail };
  if (result.status === 503) {
    request.log.error({ ...entry, err: result.cause?.cause }, 'gatehouse: access token could not be verified');
  } else {
    request.log.debug(entry, 'gatehouse: request rejected');
  }
}
