import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from './errors.js';
import { readBearerToken } from './read-bearer-token.js';

describe('readBearerToken', () => {
  it.each([
    ['Bearer abc.DEF-_~+/x==', 'abc.DEF-_~+/x=='],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Bearer\tabc', 'abc'],
  ])('reads the token from %j (scheme is case-insensitive, RFC 9110 §11.1)', (header, token) => {
    expect(readBearerToken(header)).toBe(token);
  });

  it.each([undefined, '', '   ', 'Basic dXNlcjpwYXNz', 'Token abc', 'Bearerabc'])(
    'finds no Bearer credentials in %j (RFC 6750 §3.1: answered without an error code)',
    (header) => {
      expect(readBearerToken(header)).toBeUndefined();
    },
  );

  it.each([
    ['Bearer', 'The Authorization header has an empty Bearer token'],
    ['Bearer    ', 'The Authorization header has an empty Bearer token'],
    ['Bearer abc def', 'The request must carry exactly one access token'],
    ['Bearer abc, Bearer def', 'The request must carry exactly one access token'],
    ['Basic dXNlcjpwYXNz, Bearer abc', 'The request must carry exactly one access token'],
    ['Bearer abc"def', 'The bearer token has invalid characters'],
    ['Bearer =abc', 'The bearer token has invalid characters'],
  ])('rejects %j with invalid_request', (header, message) => {
    expect(() => readBearerToken(header)).toThrow(new InvalidRequestError(message));
  });

  it('rejects two Authorization header lines with invalid_request', () => {
    expect(() => readBearerToken(['Bearer abc', 'Bearer def'])).toThrow(InvalidRequestError);
    expect(readBearerToken(['Bearer abc'])).toBe('abc');
  });
});
