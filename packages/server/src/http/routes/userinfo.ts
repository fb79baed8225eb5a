import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseParameters, single } from '../../protocol/parameters.js';
import { InsufficientScope, InvalidRequest, InvalidToken, type OAuthError } from '../../protocol/errors.js';
import { parseScope } from '../../protocol/scope.js';
import { inspectToken } from '../../protocol/token-inspection.js';
import { userInfoClaims } from '../../protocol/userinfo.js';
import type { AppContext } from '../../context.js';
import { toOAuthError } from '../error-mapper.js';
import { inspectionDeps } from '../grant-deps.js';
import { resolveRealm } from '../realm.js';
import { applyCors, originsOf, setNoStore } from '../security.js';
import { methodNotAllowed } from './method-not-allowed.js';

/** RFC 6750 §3: a quoted-string auth-param value; characters outside its grammar are dropped. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '')}"`;
}

/**
 * The bearer token of the request (RFC 6750 §2.1 header or §2.2 form body, never the query
 * string); undefined when none was sent. Two at once is invalid_request (§2).
 */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header) : null;
  if (header && /^Bearer/i.test(header) && !match) throw new InvalidToken('malformed Authorization header');
  const form = typeof request.body === 'string' ? single(parseParameters(request.body), 'access_token') : undefined;
  if (match && form !== undefined) throw new InvalidRequest('send the access token once');
  return match?.[1] ?? form;
}

async function realmClientOrigins(ctx: AppContext, tenantId: string): Promise<Set<string>> {
  return originsOf((await ctx.repos.clients.listByTenant(tenantId)).flatMap((client) => client.redirectUris));
}

/** GET and POST {issuer}/oauth2/userinfo (OIDC Core §5.3) with an access token that has `openid`. */
export function registerUserInfoRoute(app: FastifyInstance, ctx: AppContext): void {
  const deps = inspectionDeps(ctx);
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { realm } = await resolveRealm(ctx, request);
    setNoStore(reply);
    // Browser clients must be able to read the RFC 6750 challenge to tell an expired token apart.
    reply.header('Access-Control-Expose-Headers', 'WWW-Authenticate');
    try {
      const token = bearerToken(request);
      if (token === undefined) {
        // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
        reply.header('WWW-Authenticate', `Bearer realm=${quoted(realm.issuer)}`);
        return reply.code(401).send({ error_description: 'an access token is required' });
      }
      const found = await inspectToken(deps, realm, token, 'access_token');
      if (found?.kind !== 'access_token') throw new InvalidToken('the access token is invalid, expired or revoked');
      const client = await ctx.repos.clients.findById(found.claims.client_id);
      if (client) applyCors(reply, request.headers.origin, originsOf(client.redirectUris));
      const scopes = parseScope(String(found.claims.scope ?? '')) ?? [];
      if (!scopes.includes('openid')) throw new InsufficientScope('the access token lacks the openid scope');
      const user = await ctx.repos.users.findById(realm.tenantId, String(found.claims.sub));
      if (!user || user.disabled) throw new InvalidToken('the account is no longer active');
      return reply.send(userInfoClaims(user, scopes));
    } catch (error) {
      const oauthError: OAuthError = toOAuthError(error, request);
      if (request.headers.origin && !reply.hasHeader('Access-Control-Allow-Origin'))
        applyCors(reply, request.headers.origin, await realmClientOrigins(ctx, realm.tenantId));
      if (oauthError instanceof InvalidToken || oauthError instanceof InsufficientScope) {
        const scope = oauthError instanceof InsufficientScope ? `, scope="openid"` : '';
        reply.header(
          'WWW-Authenticate',
          `Bearer realm=${quoted(realm.issuer)}, error="${oauthError.error}", error_description=${quoted(oauthError.description)}${scope}`,
        );
      }
      return reply.code(oauthError.status).send({ error: oauthError.error, error_description: oauthError.description });
    }
  };
  const url = '/system/auth/:realm/oauth2/userinfo';
  app.get(url, handler);
  app.post(url, handler);
  app.options(url, async (request, reply) => {
    const { realm } = await resolveRealm(ctx, request);
    if (applyCors(reply, request.headers.origin, await realmClientOrigins(ctx, realm.tenantId))) {
      reply.header('Access-Control-Allow-Methods', 'GET, POST');
      reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      reply.header('Access-Control-Max-Age', '600');
    }
    return reply.code(204).send();
  });
  methodNotAllowed(app, url, ['GET', 'POST', 'OPTIONS']);
}
