import { hash } from 'node:crypto';
import type { Realm } from './model.js';

/**
 * OIDC Core §3.1.3.6 at_hash: base64url of the left half of the SHA-256 of the access token
 * (SHA-256 because the id_token is signed with ES256 or RS256, both SHA-256 based).
 */
export function accessTokenHash(accessToken: string): string {
  // A JWT is ASCII, so hashing its UTF-8 bytes hashes the octets OIDC asks for.
  return hash('sha256', accessToken, 'buffer').subarray(0, 16).toString('base64url');
}

/** OIDC Core §2 ID Token claims for the code flow. */
export function buildIdTokenClaims(input: {
  readonly realm: Realm;
  readonly clientId: string;
  readonly userId: string;
  readonly authTime: number;
  readonly nonce: string | null;
  readonly accessToken: string;
  readonly now: number;
  readonly ttlSeconds: number;
}): Record<string, unknown> {
  return {
    iss: input.realm.issuer,
    sub: input.userId,
    aud: input.clientId,
    iat: input.now,
    exp: input.now + input.ttlSeconds,
    auth_time: input.authTime,
    ...(input.nonce ? { nonce: input.nonce } : {}),
    at_hash: accessTokenHash(input.accessToken),
  };
}
