import { describe, expect, it } from 'vitest';
import { assertRealm, formatBearerChallenge } from './www-authenticate.js';

describe('formatBearerChallenge', () => {
  it('writes the attributes in RFC 6750 §3 order, comma-separated', () => {
    expect(
      formatBearerChallenge({ realm: 'api', error: 'insufficient_scope', errorDescription: 'Need more', scope: 'a b' }),
    ).toBe('Bearer realm="api", error="insufficient_scope", error_description="Need more", scope="a b"');
    expect(formatBearerChallenge({ realm: 'api' })).toBe('Bearer realm="api"');
  });

  it('escapes quotes and backslashes in the realm (RFC 9110 §5.6.4 quoted-string)', () => {
    expect(formatBearerChallenge({ realm: 'a"b\\c' })).toBe('Bearer realm="a\\"b\\\\c"');
  });

  it('drops characters RFC 6750 forbids in error_description, so nothing can break out of the quotes', () => {
    expect(
      formatBearerChallenge({
        realm: 'api',
        error: 'invalid_token',
        errorDescription: 'x", error="forged\\\r\nSet-Cookie: a=b é',
      }),
    ).toBe('Bearer realm="api", error="invalid_token", error_description="x, error=forgedSet-Cookie: a=b "');
  });
});

describe('assertRealm', () => {
  it('accepts printable ASCII and refuses control or non-ASCII characters', () => {
    expect(assertRealm('https://api.example.test')).toBe('https://api.example.test');
    expect(() => assertRealm('api\r\nx')).toThrow(
      new TypeError('realm must be a string of printable ASCII characters'),
    );
    expect(() => assertRealm('café')).toThrow(TypeError);
  });
});
