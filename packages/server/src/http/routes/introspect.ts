import type { FastifyInstance } from 'fastify';
import { required, single } from '../../protocol/parameters.js';
import { InvalidClient } from '../../protocol/errors.js';
import { introspectToken } from '../../protocol/introspection.js';
import type { AppContext } from '../../context.js';
import { registerFormEndpoint } from '../form-endpoint.js';
import { inspectionDeps } from '../ports.js';

/**
 * POST {issuer}/oauth2/introspect (RFC 7662) for resource servers: only confidential clients of
 * the tenant may ask (§2.1: the endpoint must be protected), so tokens cannot be probed by
 * anyone who happens to hold one.
 */
export function registerIntrospectionRoute(app: FastifyInstance, ctx: AppContext): void {
  const deps = inspectionDeps(ctx);
  registerFormEndpoint(
    app,
    ctx,
    '/oauth2/introspect',
    { uniqueParameters: ['token', 'token_type_hint'] },
    async ({ realm, client, method, parameters }) => {
      if (method === 'none' || client.disabled)
        throw new InvalidClient(
          'introspection requires an enabled confidential client',
          `client ${client.clientId} used ${method}`,
        );
      return introspectToken(deps, realm, required(parameters, 'token'), single(parameters, 'token_type_hint'));
    },
  );
}
