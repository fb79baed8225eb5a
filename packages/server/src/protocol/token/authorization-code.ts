import { required, single } from '../authorize/parameters.js';
import { mintAccessToken } from '../access-token.js';
import { InvalidGrant } from '../errors.js';
import { verifyS256 } from '../pkce.js';
import type { AccessTokenSigner, AuthorizationCodeRecord, AuthorizationCodeRepository, Clock, Random, RevokedTokenRepository } from '../ports.js';
import { hashOpaqueSecret } from '../secrets.js';
import { formatScope } from '../scope.js';
import type { GrantHandler, TokenRequest, TokenResponse } from './grant.js';

export interface AuthorizationCodeGrantDeps {
  readonly codes: AuthorizationCodeRepository;
  readonly revokedTokens: RevokedTokenRepository;
  readonly signer: AccessTokenSigner;
  readonly clock: Clock;
  readonly random: Random;
  readonly accessTokenTtlSeconds: number;
  /** Revokes refresh tokens issued from a code when the code is replayed (token lifecycle). */
  readonly revokeRefreshTokensFromCode?: (codeHash: string) => Promise<void>;
}

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5-4.6, OAuth 2.1 §4.1.3).
 * Every check that fails answers invalid_grant without telling which one failed. The code is
 * consumed with one atomic statement after all checks pass, so of N concurrent redemptions
 * exactly one succeeds; a valid redemption of an already used code revokes what the first one
 * issued (RFC 6749 §4.1.2, RFC 9700 §4.5).
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
    if (record.clientId !== client.clientId) throw new InvalidGrant('invalid authorization code', 'code issued to another client');
    // OAuth 2.1 §4.1.3: redirect_uri must be identical to the one in the authorization request.
    if (record.redirectUri !== redirectUri) throw new InvalidGrant('redirect_uri does not match the authorization request');
    if (codeVerifier === undefined || !verifyS256(codeVerifier, record.codeChallenge)) {
      throw new InvalidGrant('code_verifier does not match the code_challenge');
    }

    const now = deps.clock.nowSeconds();
    if (record.consumedAt !== null) {
      await revokeTokensIssuedFrom(deps, record, now);
      throw new InvalidGrant('authorization code was already used', 'code replay: tokens issued from it revoked');
    }
    if (record.expiresAt <= now) throw new InvalidGrant('authorization code expired');

    const jti = deps.random.token(16);
    if (!(await deps.codes.consume(codeHash, now, jti))) {
      const consumed = await deps.codes.findByHash(codeHash);
      if (consumed) await revokeTokensIssuedFrom(deps, consumed, now);
      throw new InvalidGrant('authorization code was already used', 'concurrent code redemption lost the race');
    }

    const accessToken = await mintAccessToken(deps, {
      realm,
      tenant,
      clientId: client.clientId,
      userId: record.userId,
      scopes: record.scopes,
      authTime: record.authTime,
      jti,
      ttlSeconds: deps.accessTokenTtlSeconds,
    });
    return { access_token: accessToken.token, token_type: 'Bearer', expires_in: accessToken.expiresIn, scope: formatScope(record.scopes) };
  };
}

async function revokeTokensIssuedFrom(deps: AuthorizationCodeGrantDeps, record: AuthorizationCodeRecord, now: number): Promise<void> {
  if (record.accessTokenJti) await deps.revokedTokens.revokeAccessToken(record.accessTokenJti, record.realmId, now + deps.accessTokenTtlSeconds);
  await deps.revokeRefreshTokensFromCode?.(record.codeHash);
}
