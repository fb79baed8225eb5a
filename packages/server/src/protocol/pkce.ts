import { createHash, timingSafeEqual } from 'node:crypto';

// RFC 7636 §4.1: code_verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
const VERIFIER_SYNTAX = /^[A-Za-z0-9\-._~]{43,128}$/;
// RFC 7636 §4.2: S256 challenge = BASE64URL(SHA256(verifier)), no padding: always 43 characters.
const S256_CHALLENGE_SYNTAX = /^[A-Za-z0-9\-_]{43}$/;

export function isWellFormedCodeVerifier(verifier: string): boolean {
  return VERIFIER_SYNTAX.test(verifier);
}

export function isWellFormedS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE_SYNTAX.test(challenge);
}

export function computeS256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * RFC 7636 §4.6: the server recomputes the challenge from the verifier and compares. The
 * comparison is constant-time so the response time reveals nothing about the stored challenge.
 */
export function verifyS256(verifier: string, challenge: string): boolean {
  if (!isWellFormedCodeVerifier(verifier)) return false;
  const expected = Buffer.from(challenge, 'ascii');
  const actual = Buffer.from(computeS256Challenge(verifier), 'ascii');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
