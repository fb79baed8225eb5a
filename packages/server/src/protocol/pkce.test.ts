import { describe, expect, it } from 'vitest';
import { computeS256Challenge, isWellFormedCodeVerifier, isWellFormedS256Challenge, verifyS256 } from './pkce.js';

// RFC 7636 Appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('computeS256Challenge', () => {
  it('turns the RFC 7636 appendix B verifier into the appendix B challenge', () => {
    expect(computeS256Challenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it('produces 43 base64url characters without padding', () => {
    const challenge = computeS256Challenge('a'.repeat(128));
    expect(challenge).toHaveLength(43);
    expect(challenge).toMatch(/^[A-Za-z0-9\-_]{43}$/);
  });
});

describe('verifyS256', () => {
  it('accepts the RFC 7636 appendix B verifier for its challenge', () => {
    expect(verifyS256(RFC_VERIFIER, RFC_CHALLENGE)).toBe(true);
  });

  it('rejects a well-formed verifier that does not hash to the challenge', () => {
    const other = `${RFC_VERIFIER.slice(0, -1)}Y`;
    expect(isWellFormedCodeVerifier(other)).toBe(true);
    expect(verifyS256(other, RFC_CHALLENGE)).toBe(false);
  });

  it('rejects the challenge itself presented as the verifier (plain is not accepted)', () => {
    expect(verifyS256(RFC_CHALLENGE, RFC_CHALLENGE)).toBe(false);
  });

  it('rejects a malformed verifier even when it hashes to the stored challenge', () => {
    const shortVerifier = 'a'.repeat(42);
    expect(verifyS256(shortVerifier, computeS256Challenge(shortVerifier))).toBe(false);
    const withSpace = `${'a'.repeat(42)} `;
    expect(verifyS256(withSpace, computeS256Challenge(withSpace))).toBe(false);
  });

  it('rejects an empty verifier and a challenge of another length without throwing', () => {
    expect(verifyS256('', RFC_CHALLENGE)).toBe(false);
    expect(verifyS256(RFC_VERIFIER, RFC_CHALLENGE.slice(0, 42))).toBe(false);
    expect(verifyS256(RFC_VERIFIER, `${RFC_CHALLENGE}=`)).toBe(false);
    expect(verifyS256(RFC_VERIFIER, '')).toBe(false);
  });

  it('rejects the appendix B challenge with a different letter case', () => {
    expect(verifyS256(RFC_VERIFIER, RFC_CHALLENGE.toLowerCase())).toBe(false);
  });
});

describe('isWellFormedCodeVerifier (RFC 7636 §4.1: 43*128 unreserved characters)', () => {
  it.each([
    [42, false],
    [43, true],
    [128, true],
    [129, false],
  ])('a verifier of %i characters is well-formed: %s', (length, expected) => {
    expect(isWellFormedCodeVerifier('a'.repeat(length))).toBe(expected);
  });

  it('accepts every unreserved character: letters, digits, "-", ".", "_" and "~"', () => {
    expect(isWellFormedCodeVerifier('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~')).toBe(true);
  });

  it.each([' ', '+', '/', '=', '%', '!', '*', ':', '#', 'é', '\n'])('refuses a verifier containing %j', (character) => {
    expect(isWellFormedCodeVerifier(`${'a'.repeat(42)}${character}`)).toBe(false);
  });

  it('refuses the empty string', () => {
    expect(isWellFormedCodeVerifier('')).toBe(false);
  });
});

describe('isWellFormedS256Challenge (RFC 7636 §4.2: BASE64URL of 32 bytes, 43 characters)', () => {
  it('accepts the appendix B challenge', () => {
    expect(isWellFormedS256Challenge(RFC_CHALLENGE)).toBe(true);
  });

  it.each([
    [42, false],
    [43, true],
    [44, false],
  ])('a challenge of %i characters is well-formed: %s', (length, expected) => {
    expect(isWellFormedS256Challenge('A'.repeat(length))).toBe(expected);
  });

  it.each(['+', '/', '=', '.', '~', ' '])('refuses a challenge containing %j (not base64url)', (character) => {
    expect(isWellFormedS256Challenge(`${'A'.repeat(42)}${character}`)).toBe(false);
  });

  it('refuses a padded challenge', () => {
    expect(isWellFormedS256Challenge(`${RFC_CHALLENGE}=`)).toBe(false);
  });
});
