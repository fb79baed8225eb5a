import { createJwksStore, createVerifier, ResourceError, type Verifier } from '@gatehouse/resource';
import type { FastifyRequest } from 'fastify';
import { API_KEY_PREFIX, callerForApiKey } from '../../admin/administrators.js';
import { ADMIN_SCOPE, type AdminCaller, SYSTEM_TENANT_ID } from '../../admin/caller.js';
import { adminApiAudience } from '../../admin/system-tenant.js';
import { issuerFor, realmIdFor } from '../../protocol/model.js';
import type { AppContext } from '../../context.js';
import { AdminAuthError } from './problem.js';

const REALM = 'gatehouse-admin';

/**
 * Authenticates admin API calls: `Authorization: Bearer` with an API key (`gh_adm_…`) or an access
 * token of the GATEHOUSE-U realm carrying `gatehouse.admin`, verified with @gatehouse/resource
 * exactly as any API verifies Gatehouse tokens (Gatehouse protects itself with itself). The key
 * set is read in-process, not over HTTP.
 */
export function createAdminAuthenticator(ctx: AppContext): (request: FastifyRequest) => Promise<AdminCaller> {
  const issuer = issuerFor(ctx.config.publicUrl, realmIdFor(SYSTEM_TENANT_ID, 'user'));
  const now = (): number => ctx.clock.nowSeconds() * 1000;
  const jwks = createJwksStore({
    now,
    cooldownSeconds: 1,
    cacheMaxAgeSeconds: 60,
    fetch: async () => {
      const keys = await ctx.keys.publishedKeys(SYSTEM_TENANT_ID);
      return { status: 200, json: async () => keys };
    },
  });
  const verifier: Verifier = createVerifier({ issuer, audience: adminApiAudience(ctx.config.publicUrl), jwks, now });

  return async (request) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer +([\x21-\x7E]+) *$/i.exec(header);
    if (!match)
      throw new AdminAuthError(401, `Bearer realm="${REALM}"`, 'an administrator access token or API key is required');
    const token = match[1]!;
    if (token.startsWith(API_KEY_PREFIX)) {
      const caller = await callerForApiKey(ctx, token);
      if (!caller) throw invalidToken('the API key is unknown or revoked');
      return caller;
    }
    let claims: Awaited<ReturnType<Verifier['verify']>>;
    try {
      claims = await verifier.verify(token, { requiredScopes: [ADMIN_SCOPE] });
    } catch (error) {
      if (error instanceof ResourceError && error.status === 403)
        throw new AdminAuthError(
          403,
          `Bearer realm="${REALM}", error="insufficient_scope", scope="${ADMIN_SCOPE}"`,
          `the access token lacks the ${ADMIN_SCOPE} scope`,
        );
      if (error instanceof ResourceError && error.status === 503) throw error;
      throw invalidToken(error instanceof ResourceError ? error.description : 'the access token is invalid');
    }
    // A token revoked at logout must stop working here at once, not at its expiry.
    if (await ctx.repos.revokedTokens.isAccessTokenRevoked(claims.jti))
      throw invalidToken('the access token was revoked');
    const user = await ctx.repos.users.findById(SYSTEM_TENANT_ID, claims.sub);
    if (!user || user.disabled) throw invalidToken('the administrator no longer exists or is disabled');
    const admin = await ctx.repos.administrators.find(claims.sub);
    if (!admin)
      throw new AdminAuthError(
        403,
        `Bearer realm="${REALM}", error="insufficient_scope"`,
        'this person is not an administrator',
      );
    return { actor: { kind: 'admin', id: user.id, name: user.username }, grant: admin };
  };
}

function invalidToken(description: string): AdminAuthError {
  return new AdminAuthError(
    401,
    `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
    description,
  );
}
