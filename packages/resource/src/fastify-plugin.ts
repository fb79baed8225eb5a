import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessPolicy } from './access-policy.js';
import { gatehouseAuth, type GatehouseAuth, type GatehouseAuthOptions } from './fastify.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by the Gatehouse plugin: `authenticate`, `require(policy)`, `requireScopes(...)`, `verifier`. */
    gatehouse: GatehouseAuth;
  }
  interface FastifyContextConfig {
    /**
     * Protect this route with the Gatehouse plugin: `true` for any valid access token, or the
     * policy it must meet. Checked in an `onRequest` hook, before the body is read.
     */
    gatehouse?: AccessPolicy | true;
  }
}

/** Options of {@link gatehousePlugin}: those of `gatehouseAuth` (issuers, audience, realm, …). */
export type GatehousePluginOptions = GatehouseAuthOptions;

async function gatehouse(fastify: FastifyInstance, options: GatehousePluginOptions): Promise<void> {
  const auth = gatehouseAuth(options);
  fastify.decorate('gatehouse', auth);
  // Declared up front so every request object has the same shape; set only once verified.
  fastify.decorateRequest('gatehouse', undefined);
  fastify.addHook('onRoute', (route) => {
    const policy = route.config?.gatehouse;
    if (policy === undefined) return;
    // Built when the route is declared, so a bad policy fails at start-up.
    const check = policy === true ? auth.authenticate : auth.require(policy);
    const existing = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [check, ...existing] as typeof route.onRequest;
  });
}

/**
 * Fastify plugin protecting routes with Gatehouse access tokens. Registered with
 * `fastify-plugin`, so what it adds belongs to the context it is registered in (and that
 * context's children), not to a scope of its own: `fastify.gatehouse` (the {@link GatehouseAuth}
 * helpers), `request.gatehouse` (the verified claims), and the route option
 * `config: { gatehouse: policy }` for routes declared after it there. Register it in an
 * encapsulated context to protect only that context's routes; twice in one context is an error.
 *
 * @example
 * await app.register(gatehousePlugin, { issuers, audience: 'https://api.example.test' });
 * app.get('/v1/answers', { config: { gatehouse: { anyScope: ['answers.read', 'answers.admin'] } } }, handler);
 * app.post('/v1/answers', { onRequest: app.gatehouse.require({ requiredScopes: ['answers.write'], actor: 'user' }) }, handler);
 */
export const gatehousePlugin = fp(gatehouse, { name: '@gatehouse/resource', fastify: '5.x' });
