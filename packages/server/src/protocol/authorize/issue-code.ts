import type { AuthorizationRequest, Realm } from '../model.js';
import type { AuthorizationCodeRepository, Clock, Random } from '../ports.js';
import { hashOpaqueSecret } from '../secrets.js';

export interface IssueCodeDeps {
  readonly codes: Pick<AuthorizationCodeRepository, 'insert'>;
  readonly clock: Clock;
  readonly random: Random;
  readonly codeTtlSeconds: number;
}

/**
 * Creates a one-time authorization code: 256 random bits (RFC 6749 §10.10 asks for codes that
 * cannot be guessed), stored only under its SHA-256 (secrets.ts) and bound to everything the token request must
 * repeat or prove: client, realm, redirect_uri, PKCE challenge, scopes and the person.
 */
export async function issueAuthorizationCode(
  deps: IssueCodeDeps,
  input: { realm: Realm; request: AuthorizationRequest; userId: string; sessionId: string | null; authTime: number },
): Promise<string> {
  const code = deps.random.sortableToken(32);
  const now = deps.clock.nowSeconds();
  await deps.codes.insert({
    codeHash: hashOpaqueSecret(code),
    realmId: input.realm.id,
    tenantId: input.realm.tenantId,
    clientId: input.request.clientId,
    userId: input.userId,
    sessionId: input.sessionId,
    redirectUri: input.request.redirectUri,
    scopes: input.request.scopes,
    codeChallenge: input.request.codeChallenge,
    nonce: input.request.nonce ?? null,
    authTime: input.authTime,
    expiresAt: now + deps.codeTtlSeconds,
  });
  return code;
}
