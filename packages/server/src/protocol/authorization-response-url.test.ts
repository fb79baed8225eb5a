import { describe, expect, it } from 'vitest';
import { buildAuthorizationResponseUrl } from './authorization-response-url.js';

describe('buildAuthorizationResponseUrl', () => {
  it('appends the parameters to the registered URI and leaves out undefined ones', () => {
    expect(
      buildAuthorizationResponseUrl('https://app.example.com/cb', {
        code: 'abc',
        state: undefined,
        iss: 'https://auth.example.com/system/auth/ACME-U',
      }),
    ).toBe('https://app.example.com/cb?code=abc&iss=https%3A%2F%2Fauth.example.com%2Fsystem%2Fauth%2FACME-U');
  });

  it('keeps a query already in the registered URI, exactly as written', () => {
    expect(buildAuthorizationResponseUrl('https://app.example.com/cb?tenant=a%2Fb', { code: 'abc' })).toBe(
      'https://app.example.com/cb?tenant=a%2Fb&code=abc',
    );
  });

  it('encodes state so that the client reads it back byte for byte', () => {
    const url = new URL(
      buildAuthorizationResponseUrl('https://app.example.com/cb', { code: 'abc', state: 'a b&c=d%+é' }),
    );
    expect(url.searchParams.get('state')).toBe('a b&c=d%+é');
    expect(url.searchParams.getAll('code')).toEqual(['abc']);
  });
});
