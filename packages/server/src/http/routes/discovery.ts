import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { SIGNING_ALGORITHM } from '../../keys/key-manager.js';
import { serverMetadata } from '../../protocol/discovery.js';
import type { AppContext } from '../../context.js';
import { resolveRealm } from '../realm.js';
import { applyPublicCors } from '../security.js';

/** Discovery (RFC 8414, OIDC Discovery 1.0) and the JWKS; public and cacheable. */
export function registerDiscoveryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = { scopes: ctx.repos.tenants, signingAlgorithm: SIGNING_ALGORITHM };
  const handler: RouteHandlerMethod = async (request, reply) => {
    const { realm } = await resolveRealm(ctx, request);
    applyPublicCors(reply);
    reply.header('Cache-Control', 'public, max-age=300');
    return reply.send(await serverMetadata(deps, realm));
  };
  // RFC 8414 §3: the well-known suffix is inserted between the host and the issuer's path.
  app.get('/.well-known/oauth-authorization-server/system/auth/:realm', handler);
  app.get('/system/auth/:realm/.well-known/openid-configuration', handler);
  app.get('/system/auth/:realm/.well-known/oauth-authorization-server', handler);

  app.get('/system/auth/:realm/oauth2/jwks', async (request, reply) => {
    const { tenant } = await resolveRealm(ctx, request);
    applyPublicCors(reply);
    reply.header('Cache-Control', 'public, max-age=300');
    return reply.type('application/jwk-set+json').send(await ctx.keys.publishedKeys(tenant.id));
  });
}
