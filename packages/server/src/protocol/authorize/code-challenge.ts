import { InvalidRequest } from '../errors.js';
import { isWellFormedS256Challenge } from '../pkce.js';

/**
 * PKCE is required for every client (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1), and only S256: an
 * omitted method means `plain` (RFC 7636 §4.3), which we refuse with invalid_request (§4.4.1).
 */
export function checkPkceChallenge(challenge: string | undefined, method: string | undefined): string {
  if (challenge === undefined || challenge === '') throw new InvalidRequest('code_challenge is required (PKCE)');
  if (method === undefined || method === '') {
    throw new InvalidRequest('code_challenge_method is required and must be S256 (an omitted method means plain)');
  }
  if (method !== 'S256') throw new InvalidRequest('code_challenge_method must be S256');
  if (!isWellFormedS256Challenge(challenge)) {
    throw new InvalidRequest('code_challenge must be 43 base64url characters (BASE64URL(SHA256(code_verifier)))');
  }
  return challenge;
}
