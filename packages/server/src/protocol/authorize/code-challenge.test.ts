import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '../errors.js';
import { checkPkceChallenge } from './code-challenge.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('checkPkceChallenge', () => {
  it('returns an S256 challenge of 43 base64url characters', () => {
    expect(checkPkceChallenge(CHALLENGE, 'S256')).toBe(CHALLENGE);
  });

  it.each([
    ['a missing challenge', undefined, 'S256', 'code_challenge is required (PKCE)'],
    ['an empty challenge', '', 'S256', 'code_challenge is required (PKCE)'],
    [
      'an omitted method, which means plain (RFC 7636 §4.3)',
      CHALLENGE,
      undefined,
      'code_challenge_method is required and must be S256 (an omitted method means plain)',
    ],
    [
      'an empty method',
      CHALLENGE,
      '',
      'code_challenge_method is required and must be S256 (an omitted method means plain)',
    ],
    ['the plain method', CHALLENGE, 'plain', 'code_challenge_method must be S256'],
    ['a lower-case s256', CHALLENGE, 's256', 'code_challenge_method must be S256'],
    [
      'a 42-character challenge',
      CHALLENGE.slice(0, 42),
      'S256',
      'code_challenge must be 43 base64url characters (BASE64URL(SHA256(code_verifier)))',
    ],
    [
      'a challenge with "+" and "/"',
      `${CHALLENGE.slice(0, 41)}+/`,
      'S256',
      'code_challenge must be 43 base64url characters (BASE64URL(SHA256(code_verifier)))',
    ],
  ])('refuses %s with invalid_request', (_label, challenge, method, description) => {
    expect(() => checkPkceChallenge(challenge, method)).toThrow(new InvalidRequest(description));
  });

  it('checks the challenge is present before looking at the method', () => {
    expect(() => checkPkceChallenge(undefined, 'plain')).toThrow('code_challenge is required (PKCE)');
  });
});
