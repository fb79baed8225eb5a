import { required, single } from '../parameters.js';
import { InvalidGrant } from '../errors.js';
import { verifyS256 } from '../pkce.js';
import type {
  AuthorizationCodeRecord,
  AuthorizationCodeRepository,
  RefreshTokenRepository,
  RevokedTokenRepository,
} from '../ports.js';
import { hashOpaqueSecret } from '../secrets.js';
import type { GrantHandler, TokenRequest, TokenResponse } from './grant.js';
import { checkGrantStillValid, type GrantCheckDeps } from './grant-checks.js';
import { mintTokens, newRefreshToken, type TokenIssuerDeps } from './issue-tokens.js';

export interface AuthorizationCodeGrantDeps extends TokenIssuerDeps, GrantCheckDeps {
  readonly codes: AuthorizationCodeRepository;
  readonly revokedTokens: RevokedTokenRepository;
  readonly refreshTokens: RefreshTokenRepository;
}

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5-4.6, OAuth 2.1 §4.1.3).
 * Every check that fails answers invalid_grant without telling which one failed. The code is
 * consumed with one atomic statement after all checks pass, so of N concurrent redemptions
 * exactly one succeeds; a valid redemption of an already used code revokes what the first one
 * issued, access and refresh tokens alike (RFC 6749 §4.1.2, RFC 9700 §4.5).
 */
export function authorizationCodeGrant(deps: AuthorizationCodeGrantDeps): GrantHandler {
  return async (request: TokenRequest): Promise<TokenResponse> => {
    const { realm, tenant, client, parameters } = request;
    const code = required(parameters, 'code');
    const redirectUri = required(parameters, 'redirect_uri');
    const codeVerifier = single(parameters, 'code_verifier');

    const codeHash = hashOpaqueSecret(code);
    const record = await deps.codes.findByHash(codeHash);
    if (!record || record.realmId !== realm.id) throw new InvalidGrant('invalid authorization code', 'unknown code');
    if (record.clientId !== client.clientId)
      throw new InvalidGrant('invalid authorization code', 'code issued to another client');
    // OAuth 2.1 §4.1.3: redirect_uri must be identical to the one in the authorization request.
    if (record.redirectUri !== redirectUri)
      throw new InvalidGrant('redirect_uri does not match the authorization request');
    if (codeVerifier === undefined || !verifyS256(codeVerifier, record.codeChallenge)) {
      throw new InvalidGrant('code_verifier does not match the code_challenge');
    }

    const now = deps.clock.nowSeconds();
    if (record.consumedAt !== null) {
      await revokeTokensIssuedFrom(deps, record, now);
      throw new InvalidGrant('authorization code was already used', 'code replay: tokens issued from it revoked');
    }
    if (record.expiresAt <= now) throw new InvalidGrant('authorization code expired');
    await checkGrantStillValid(deps, {
      client,
      tenantId: realm.tenantId,
      userId: record.userId,
      scopes: record.scopes,
      grantedAt: record.authTime,
    });

    const jti = deps.random.token(16);
    // The access token's expiry is fixed now so the refresh family can record it in the same
    // transaction that consumes the code; the token itself is signed only by the winner.
    const accessTokenExpiresAt = now + deps.accessTokenTtlSeconds;
    const policy = client.refreshTokens;
    const refresh = policy.enabled
      ? newRefreshToken(deps.random, {
          familyId: deps.random.sortableToken(16),
          realmId: realm.id,
          tenantId: realm.tenantId,
          clientId: client.clientId,
          userId: record.userId,
          sessionId: record.sessionId,
          codeHash,
          scopes: record.scopes,
          authTime: record.authTime,
          familyCreatedAt: now,
          familyExpiresAt: now + policy.absoluteTtlSeconds,
          idleExpiresAt: Math.min(now + policy.idleTtlSeconds, now + policy.absoluteTtlSeconds),
          createdAt: now,
          accessTokenJti: jti,
          accessTokenExpiresAt,
        })
      : undefined;

    // Consuming the code and storing the refresh family is one transaction: one commit.
    if (!(await deps.codes.consume(codeHash, now, jti, refresh?.record))) {
      const consumed = await deps.codes.findByHash(codeHash);
      if (consumed) await revokeTokensIssuedFrom(deps, consumed, now);
      throw new InvalidGrant('authorization code was already used', 'concurrent code redemption lost the race');
    }
    const grant = {
      realm,
      tenant,
      client,
      userId: record.userId,
      scopes: record.scopes,
      authTime: record.authTime,
      jti,
      issuedAt: now,
    };
    const { response } = await mintTokens(deps, grant, { nonce: record.nonce });
    // No check that a racing replay deny-listed `jti` meanwhile: `consume` commits the family
    // with the code (ports.ts), so such a replay finds the family and revokes it itself.
    return refresh ? { ...response, refresh_token: refresh.token } : response;
  };
}

async function revokeTokensIssuedFrom(
  deps: AuthorizationCodeGrantDeps,
  record: AuthorizationCodeRecord,
  now: number,
): Promise<void> {
  if (record.accessTokenJti)
    await deps.revokedTokens.revokeAccessToken(record.accessTokenJti, record.realmId, now + deps.accessTokenTtlSeconds);
  await deps.refreshTokens.revokeFamilies({ codeHash: record.codeHash }, now);
}
