import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Realm } from '../protocol/model.js';
import { realmOrigins } from '../protocol/origins.js';
import { resolveRealm } from './realm.js';
import { applyCors } from './security.js';

/** The origins allowed to call this realm before a client is known (the rule: protocol/origins.ts). */
async function allowedRealmOrigins(ctx: AppContext, realm: Realm): Promise<Set<string>> {
  return realmOrigins(await ctx.repos.clients.listByTenant(realm.tenantId), realm);
}

/**
 * Lets a browser read an error answer when no client could be identified to decide (or the
 * answer does not carry CORS yet): echoes the Origin if the realm allows it.
 */
export async function allowRealmOriginOnError(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  realm: Realm,
): Promise<void> {
  const origin = request.headers.origin;
  if (origin && !reply.hasHeader('Access-Control-Allow-Origin'))
    applyCors(reply, origin, await allowedRealmOrigins(ctx, realm));
}

/**
 * The one CORS preflight answer (Fetch standard, CORS protocol): 204, and the allowed methods and
 * headers only for an origin the realm allows. Cached by the browser for 10 minutes.
 */
export function registerPreflight(
  app: FastifyInstance,
  ctx: AppContext,
  url: string,
  allow: { readonly methods: string; readonly headers: string },
): void {
  app.options(url, async (request, reply) => {
    const { realm } = await resolveRealm(ctx, request);
    if (applyCors(reply, request.headers.origin, await allowedRealmOrigins(ctx, realm))) {
      reply.header('Access-Control-Allow-Methods', allow.methods);
      reply.header('Access-Control-Allow-Headers', allow.headers);
      reply.header('Access-Control-Max-Age', '600');
    }
    return reply.code(204).send();
  });
}
