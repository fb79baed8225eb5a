import type { AppContext } from '../context.js';
import { signInLimits } from '../config.js';
import { countingLockouts } from '../observability/counting.js';
import type { AccountDeps } from '../protocol/account.js';
import type { TenantBranding } from '../protocol/branding.js';
import type { SignInFlowDeps } from '../protocol/authorize/flow.js';
import { BUILT_IN_SCOPES } from '../protocol/built-in-scopes.js';
import type { LogoutDeps } from '../protocol/logout.js';
import type { AuthorizationCodeGrantDeps } from '../protocol/token/authorization-code.js';
import type { RefreshTokenGrantDeps } from '../protocol/token/refresh-token.js';
import type { TokenInspectionDeps } from '../protocol/token-inspection.js';
import type { UserInfoDeps } from '../protocol/userinfo.js';

/**
 * The one place the protocol's ports are built from this process's
 * repositories, keys and settings. Routes receive these and never call a repository themselves.
 */
export function signInFlowDeps(ctx: AppContext): SignInFlowDeps {
  const { repos, config } = ctx;
  return {
    sessions: repos.sessions,
    pendingAuthorizations: repos.pendingAuthorizations,
    consents: repos.consents,
    users: repos.users,
    clients: repos.clients,
    scopes: repos.tenants,
    codes: repos.codes,
    loginFailures: countingLockouts(repos.loginFailures, ctx.metrics),
    verifyPassword: ctx.passwords.verify,
    dummyPasswordHash: () => ctx.dummyPasswordHash(),
    clock: ctx.clock,
    random: ctx.random,
    builtInScopes: BUILT_IN_SCOPES,
    sessionTtlSeconds: config.sessionTtlSeconds,
    codeTtlSeconds: config.codeTtlSeconds,
    pendingAuthorizationTtlSeconds: config.pendingAuthorizationTtlSeconds,
    signInLimits: signInLimits(config),
    securityEvents: ctx.securityEvents,
  };
}

export function logoutDeps(ctx: AppContext): LogoutDeps {
  return {
    verifyJwt: (tenantId, token, expected) => ctx.keys.verify(tenantId, token, expected),
    clients: ctx.repos.clients,
    sessions: ctx.repos.sessions,
    users: ctx.repos.users,
    refreshTokens: ctx.repos.refreshTokens,
    clock: ctx.clock,
    securityEvents: ctx.securityEvents,
  };
}

export function userInfoDeps(ctx: AppContext): UserInfoDeps {
  return { ...inspectionDeps(ctx), clients: ctx.repos.clients, users: ctx.repos.users };
}

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

/** What the sign-in pages' "Not you?" needs beyond the flow: ending the session's refresh tokens. */
export function switchAccountDeps(ctx: AppContext): SignInFlowDeps & Pick<LogoutDeps, 'refreshTokens'> {
  return { ...signInFlowDeps(ctx), refreshTokens: ctx.repos.refreshTokens };
}

/** The person's account page (protocol/account.ts). */
export function accountDeps(ctx: AppContext): AccountDeps {
  const { repos, config } = ctx;
  return {
    sessions: repos.sessions,
    users: repos.users,
    clients: repos.clients,
    consents: repos.consents,
    refreshTokens: repos.refreshTokens,
    loginFailures: countingLockouts(repos.loginFailures, ctx.metrics),
    verifyPassword: ctx.passwords.verify,
    hashPassword: ctx.passwords.hash,
    dummyPasswordHash: () => ctx.dummyPasswordHash(),
    clock: ctx.clock,
    random: ctx.random,
    sessionTtlSeconds: config.sessionTtlSeconds,
    signInLimits: signInLimits(config),
    // The operator's rule for new passwords (admin/users.ts MIN_PASSWORD_LENGTH).
    minPasswordLength: 8,
    securityEvents: ctx.securityEvents,
  };
}

/** What every page of a realm reads besides its own data: the tenant's branding. */
export function pageDeps(ctx: AppContext): { findBranding(tenantId: string): Promise<TenantBranding | undefined> } {
  return { findBranding: (tenantId) => ctx.repos.branding.find(tenantId) };
}
