import type { AuthorizationCodeGrantDeps } from '../protocol/token/authorization-code.js';
import type { RefreshTokenGrantDeps } from '../protocol/token/refresh-token.js';
import type { TokenInspectionDeps } from '../protocol/token-inspection.js';
import type { AppContext } from './context.js';

/** Wires the protocol's grant handlers and token inspection to this process's repositories and keys. */
export function grantDeps(ctx: AppContext): AuthorizationCodeGrantDeps & RefreshTokenGrantDeps {
  return {
    codes: ctx.repos.codes,
    revokedTokens: ctx.repos.revokedTokens,
    refreshTokens: ctx.repos.refreshTokens,
    signer: ctx.keys,
    clock: ctx.clock,
    random: ctx.random,
    accessTokenTtlSeconds: ctx.config.accessTokenTtlSeconds,
    idTokenTtlSeconds: ctx.config.idTokenTtlSeconds,
    findUser: (tenantId, userId) => ctx.repos.users.findById(tenantId, userId),
    grantedScopes: (userId, clientId) => ctx.repos.consents.grantedScopes(userId, clientId),
    onReuseDetected: (record) => ctx.securityEvents.refreshTokenReuse(record),
  };
}

export function inspectionDeps(ctx: AppContext): TokenInspectionDeps {
  return {
    verifyJwt: (tenantId, token, expected) => ctx.keys.verify(tenantId, token, expected),
    revokedTokens: ctx.repos.revokedTokens,
    refreshTokens: ctx.repos.refreshTokens,
    clock: ctx.clock,
  };
}
