import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseParameters } from '../../protocol/authorize/parameters.js';
import { authenticateClient } from '../../protocol/client-authentication.js';
import { InvalidRequest } from '../../protocol/errors.js';
import type { Client, Realm } from '../../protocol/model.js';
import { authorizationCodeGrant } from '../../protocol/token/authorization-code.js';
import { checkTokenParameters, handleTokenRequest } from '../../protocol/token/dispatch.js';
import type { GrantHandler } from '../../protocol/token/grant.js';
import type { AppContext } from '../context.js';
import { resolveRealm } from '../realm.js';
import { applyCors, originsOf, setNoStore } from '../security.js';
import { methodNotAllowed } from './method-not-allowed.js';

/** Grants each kind of client may use. Public SPA clients: the code flow (refresh comes later). */
export function allowedGrants(client: Client): readonly string[] {
  return client.platform === 'spa' ? ['authorization_code'] : ['authorization_code'];
}

export function isFormEncoded(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && type.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** The origins allowed to call this realm's token-style endpoints: every client's redirect origins. */
export async function realmOrigins(ctx: AppContext, realm: Realm): Promise<Set<string>> {
  const clients = await ctx.repos.clients.listByTenant(realm.tenantId);
  return originsOf(clients.filter((client) => client.resourceType === 'global' || client.resourceType === realm.actor).flatMap((client) => client.redirectUris));
}

/** CORS preflight for browser clients (only the origins of registered redirect URIs). */
export async function answerPreflight(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { realm } = await resolveRealm(ctx, request);
  if (applyCors(reply, request.headers.origin, await realmOrigins(ctx, realm))) {
    reply.header('Access-Control-Allow-Methods', 'POST');
    reply.header('Access-Control-Allow-Headers', 'Content-Type, Authorization, DPoP');
    reply.header('Access-Control-Max-Age', '600');
  }
  return reply.code(204).send();
}

/** POST {issuer}/oauth2/token (RFC 6749 §3.2): form-encoded only, answers never cached. */
export function registerTokenRoute(app: FastifyInstance, ctx: AppContext): void {
  const handlers: Record<string, GrantHandler> = {
    authorization_code: authorizationCodeGrant({
      codes: ctx.repos.codes,
      revokedTokens: ctx.repos.revokedTokens,
      signer: ctx.keys,
      clock: ctx.clock,
      random: ctx.random,
      accessTokenTtlSeconds: ctx.config.accessTokenTtlSeconds,
    }),
  };

  app.post('/system/auth/:realm/oauth2/token', async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const origin = request.headers.origin;
    try {
      if (!isFormEncoded(request)) throw new InvalidRequest('Content-Type must be application/x-www-form-urlencoded');
      const parameters = parseParameters(request.body as string);
      const grantType = checkTokenParameters(parameters);
      const { client } = await authenticateClient(
        { findClient: (id) => ctx.repos.clients.findById(id), verifySecret: ctx.passwords.verify },
        realm,
        { authorizationHeader: request.headers.authorization, parameters },
      );
      if (origin) applyCors(reply, origin, originsOf(client.redirectUris));
      const response = await handleTokenRequest(handlers, allowedGrants, grantType, { realm, tenant, client, parameters });
      setNoStore(reply);
      return reply.send(response);
    } catch (error) {
      // Let the SPA read the error too, if it comes from one of the realm's client origins.
      if (origin && !reply.hasHeader('Access-Control-Allow-Origin')) applyCors(reply, origin, await realmOrigins(ctx, realm));
      throw error;
    }
  });
  app.options('/system/auth/:realm/oauth2/token', (request, reply) => answerPreflight(ctx, request, reply));
  methodNotAllowed(app, '/system/auth/:realm/oauth2/token', ['POST', 'OPTIONS']);
}
