import { describe, expect, it } from 'vitest';
import { UntrustedRedirect } from '../errors.js';
import { acmeClient } from '../testing/fakes.js';
import { checkRedirectUri } from './redirect-uri.js';

const client = acmeClient({
  redirectUris: ['https://app.example.com/cb', 'http://localhost:5173/callback'],
  scopes: [],
});

async function titleOf(values: readonly string[] | undefined): Promise<string> {
  try {
    checkRedirectUri(values, client);
  } catch (error) {
    expect(error).toBeInstanceOf(UntrustedRedirect);
    return (error as UntrustedRedirect).title;
  }
  return expect.unreachable('checkRedirectUri should have thrown');
}

describe('checkRedirectUri (exact string comparison, RFC 9700 §4.1.1)', () => {
  it('returns a registered redirect_uri', () => {
    expect(checkRedirectUri(['http://localhost:5173/callback'], client)).toBe('http://localhost:5173/callback');
  });

  it.each([
    ['absent', undefined, 'Invalid request'],
    ['empty', [''], 'Invalid request'],
    ['repeated', ['https://app.example.com/cb', 'https://app.example.com/cb'], 'Invalid request'],
    ['unregistered', ['https://evil.example.com/cb'], 'Invalid return address'],
    ['registered plus a trailing slash', ['https://app.example.com/cb/'], 'Invalid return address'],
    ['registered with an upper-case host', ['https://APP.example.com/cb'], 'Invalid return address'],
    ['registered with another loopback port', ['http://localhost:5174/callback'], 'Invalid return address'],
  ])('throws UntrustedRedirect when redirect_uri is %s', async (_label, values, title) => {
    expect(await titleOf(values)).toBe(title);
  });
});
