import { describe, expect, it } from 'vitest';
import { redirectUriRejection } from './redirect-uri-policy.js';

const HTTP_REFUSED = 'must use https (http is allowed only for localhost, 127.0.0.1 and [::1])';

describe('redirectUriRejection accepts', () => {
  it.each([
    'https://oauth.pstmn.io/v1/callback',
    'https://app.example.com/callback?tenant=acme',
    'https://app.example.com:8443/cb',
    'http://localhost/callback',
    'http://localhost:5173/callback',
    'http://127.0.0.1:8080/cb',
    'http://[::1]:3000/cb',
  ])('%s', (uri) => {
    expect(redirectUriRejection(uri)).toBeUndefined();
  });
});

describe('redirectUriRejection refuses', () => {
  it.each([
    ['plain http to a public host', 'http://example.com/callback', HTTP_REFUSED],
    ['plain http to a host that only starts with localhost', 'http://localhost.example.com/cb', HTTP_REFUSED],
    ['plain http to a loopback address other than 127.0.0.1', 'http://127.0.0.2/cb', HTTP_REFUSED],
    ['plain http to 0.0.0.0', 'http://0.0.0.0/cb', HTTP_REFUSED],
    ['a fragment', 'https://app.example.com/cb#section', 'must not contain a fragment'],
    ['an empty fragment', 'https://app.example.com/cb#', 'must not contain a fragment'],
    ['a wildcard in the host', 'https://*.example.com/cb', 'must not contain wildcards'],
    ['a wildcard in the path', 'https://app.example.com/*', 'must not contain wildcards'],
    ['a user name', 'https://user@app.example.com/cb', 'must not contain credentials'],
    ['a user name and password', 'https://user:secret@app.example.com/cb', 'must not contain credentials'],
    ['a relative path', '/callback', 'is not an absolute URI'],
    ['a host without a scheme', 'app.example.com/callback', 'is not an absolute URI'],
    ['the empty string', '', 'is not an absolute URI'],
    ['a private-use scheme', 'com.example.app:/callback', 'must use https'],
    ['a custom scheme with an authority', 'myapp://callback', 'must use https'],
    ['javascript:', 'javascript:alert(1)', 'must use https'],
    ['data:', 'data:text/html,hello', 'must use https'],
    ['ftp', 'ftp://files.example.com/cb', 'must use https'],
  ])('%s (%s)', (_label, uri, reason) => {
    expect(redirectUriRejection(uri)).toBe(reason);
  });
});
