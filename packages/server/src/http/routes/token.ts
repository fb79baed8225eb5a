import type { FastifyInstance } from 'fastify';
import type { Client } from '../../protocol/model.js';
import { authorizationCodeGrant } from '../../protocol/token/authorization-code.js';
import { checkTokenParameters, handleTokenRequest } from '../../protocol/token/dispatch.js';
import type { GrantHandler } from '../../protocol/token/grant.js';
import { refreshTokenGrant } from '../../protocol/token/refresh-token.js';
import type { AppContext } from '../../context.js';
import { registerFormEndpoint } from '../form-endpoint.js';
import { grantDeps } from '../ports.js';
import { countingReuse } from '../../observability/counting.js';

/** Grants a client may use: the code flow, plus refresh tokens where its policy allows them. */
export function allowedGrants(client: Client): readonly string[] {
  return client.refreshTokens.enabled ? ['authorization_code', 'refresh_token'] : ['authorization_code'];
}

/** POST {issuer}/oauth2/token (RFC 6749 §3.2): form-encoded only, answers never cached. */
export function registerTokenRoute(app: FastifyInstance, ctx: AppContext): void {
  const deps = grantDeps(ctx);
  // New grants (client credentials, token exchange, ...) are new entries here, nothing else.
  const handlers: Record<string, GrantHandler> = {
    authorization_code: authorizationCodeGrant(deps),
    refresh_token: refreshTokenGrant({
      ...deps,
      // The refresh grant revokes a whole family only when it detects reuse (RFC 9700 §4.14.2).
      refreshTokens: countingReuse(deps.refreshTokens, ctx.metrics),
    }),
  };
  registerFormEndpoint(
    app,
    ctx,
    '/oauth2/token',
    { uniqueParameters: [] },
    async ({ realm, tenant, client, parameters }) => {
      const grantType = checkTokenParameters(parameters);
      const response = await handleTokenRequest(handlers, allowedGrants, grantType, {
        realm,
        tenant,
        client,
        parameters,
      });
      ctx.metrics.tokenIssued(grantType);
      return response;
    },
  );
}
