import { required, single } from '../parameters.js';
import { InvalidGrant, InvalidScope } from '../errors.js';
import type { Client } from '../model.js';
import type { RefreshTokenRecord, RefreshTokenRepository, RevokedTokenRepository } from '../ports.js';
import { hashOpaqueSecret, openWithSecret, sealWithSecret } from '../secrets.js';
import { parseScope, scopesCovered } from '../scope.js';
import type { GrantHandler, TokenRequest, TokenResponse } from './grant.js';
import { checkGrantStillValid, type GrantCheckDeps } from './grant-checks.js';
import { mintTokens, newRefreshToken, type TokenIssuerDeps } from './issue-tokens.js';

export interface RefreshTokenGrantDeps extends TokenIssuerDeps, GrantCheckDeps {
  readonly refreshTokens: RefreshTokenRepository;
  readonly revokedTokens: RevokedTokenRepository;
  /** Told when reuse revoked a family, for the audit trail. */
  readonly onReuseDetected?: (record: RefreshTokenRecord) => Promise<void>;
}

/**
 * `grant_type=refresh_token` with rotation (RFC 6749 §6, OAuth 2.1 §4.3, RFC 9700 §4.14.2).
 * Every use returns a new refresh token and retires the old one. Presenting a retired token is
 * reuse: the answer is invalid_grant and the whole family (all its refresh tokens and the
 * access tokens issued with them) is revoked, because either the client or an attacker holds a
 * stolen copy. With a client grace window, a duplicate within that many seconds of the rotation
 * gets the very same response instead (a trade-off: such a replay is not detected).
 */
export function refreshTokenGrant(deps: RefreshTokenGrantDeps): GrantHandler {
  return async (request: TokenRequest): Promise<TokenResponse> => {
    const { realm, tenant, client, parameters } = request;
    const token = required(parameters, 'refresh_token');
    const scopeParameter = single(parameters, 'scope');
    const now = deps.clock.nowSeconds();

    const record = await deps.refreshTokens.findByHash(hashOpaqueSecret(token));
    if (!record || record.realmId !== realm.id)
      throw new InvalidGrant('invalid refresh token', 'unknown refresh token');
    if (record.clientId !== client.clientId)
      throw new InvalidGrant('invalid refresh token', 'refresh token of another client');
    if (record.revokedAt !== null) throw new InvalidGrant('the refresh token was revoked');
    if (record.rotatedAt !== null) {
      const replay = graceReplay(client, record, token, now);
      if (replay) return replay;
      await deps.refreshTokens.revokeFamilies({ familyId: record.familyId }, now);
      await deps.onReuseDetected?.(record);
      throw new InvalidGrant('the refresh token was already used', `reuse detected: family ${record.familyId} revoked`);
    }
    if (record.familyExpiresAt <= now || record.idleExpiresAt <= now)
      throw new InvalidGrant('the refresh token expired');

    // RFC 6749 §6: a narrower scope is allowed; anything beyond the grant is invalid_scope.
    let scopes = record.scopes;
    if (scopeParameter !== undefined) {
      const requested = parseScope(scopeParameter);
      if (!requested || requested.length === 0 || !scopesCovered(requested, record.scopes))
        throw new InvalidScope('scope exceeds the original grant');
      scopes = requested;
    }
    await checkGrantStillValid(deps, {
      client,
      tenantId: realm.tenantId,
      userId: record.userId,
      scopes: record.scopes,
      grantedAt: record.familyCreatedAt,
    });

    const jti = deps.random.token(16);
    const { response, accessTokenExpiresAt } = await mintTokens(
      deps,
      { realm, tenant, client, userId: record.userId, scopes, authTime: record.authTime, jti },
      undefined,
    );
    const successor = newRefreshToken(deps.random, {
      familyId: record.familyId,
      realmId: record.realmId,
      tenantId: record.tenantId,
      clientId: record.clientId,
      userId: record.userId,
      sessionId: record.sessionId,
      codeHash: record.codeHash,
      // The refresh token keeps the whole grant even when this access token is narrower.
      scopes: record.scopes,
      authTime: record.authTime,
      familyCreatedAt: record.familyCreatedAt,
      familyExpiresAt: record.familyExpiresAt,
      idleExpiresAt: Math.min(now + client.refreshTokens.idleTtlSeconds, record.familyExpiresAt),
      createdAt: now,
      accessTokenJti: jti,
      accessTokenExpiresAt,
    });
    const fullResponse: TokenResponse = { ...response, refresh_token: successor.token };
    const sealed = client.refreshTokens.graceSeconds > 0 ? sealWithSecret(token, JSON.stringify(fullResponse)) : null;
    if (!(await deps.refreshTokens.rotate(record.tokenHash, now, sealed, successor.record))) {
      // Another request rotated or revoked it between our read and our write: treat as reuse.
      await deps.revokedTokens.revokeAccessToken(jti, realm.id, accessTokenExpiresAt);
      const latest = await deps.refreshTokens.findByHash(record.tokenHash);
      const replay = latest && graceReplay(client, latest, token, now);
      if (replay) return replay;
      await deps.refreshTokens.revokeFamilies({ familyId: record.familyId }, now);
      await deps.onReuseDetected?.(record);
      throw new InvalidGrant('the refresh token was already used', 'concurrent refresh lost the race');
    }
    return fullResponse;
  };
}

/** Within the client's grace window, the response the rotation produced, opened with the old token. */
function graceReplay(
  client: Client,
  record: RefreshTokenRecord,
  token: string,
  now: number,
): TokenResponse | undefined {
  const grace = client.refreshTokens.graceSeconds;
  if (
    grace <= 0 ||
    record.rotatedAt === null ||
    record.revokedAt !== null ||
    now - record.rotatedAt > grace ||
    !record.successorSealed
  )
    return undefined;
  const opened = openWithSecret(token, record.successorSealed);
  return opened === undefined ? undefined : (JSON.parse(opened) as TokenResponse);
}
