import type { FastifyInstance } from 'fastify';
import { required, single } from '../../protocol/parameters.js';
import { revokeToken } from '../../protocol/revocation.js';
import type { AppContext } from '../../context.js';
import { registerFormEndpoint } from '../form-endpoint.js';
import { inspectionDeps } from '../ports.js';

/**
 * POST {issuer}/oauth2/revoke (RFC 7009). Answers 200 with `{}` (a JSON body, so strict browser
 * clients that parse every answer accept it) whether or not the token was known.
 */
export function registerRevocationRoute(app: FastifyInstance, ctx: AppContext): void {
  const deps = inspectionDeps(ctx);
  registerFormEndpoint(
    app,
    ctx,
    '/oauth2/revoke',
    { uniqueParameters: ['token', 'token_type_hint'] },
    async ({ realm, client, parameters }) => {
      await revokeToken(deps, realm, client, required(parameters, 'token'), single(parameters, 'token_type_hint'));
      ctx.metrics.revocation();
      return {};
    },
  );
}
