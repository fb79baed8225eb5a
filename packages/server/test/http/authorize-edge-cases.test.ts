import { describe, expect, it } from 'vitest';
import { authorizeUrl, redirectParams, signInAndAllow, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  ISSUER_U,
  SEED_REDIRECT_URI,
  SEED_STATE,
  seedAuthorizeParams,
  useTestServer,
} from '../support/harness.js';

/** Issue 12, found 4: authorization-request edge cases (documented in docs/security.md). */
const server = useTestServer('each');
const PATH = new URL(ISSUER_U).pathname;

describe('authorization request edge cases', () => {
  it('answers a request with state given twice with invalid_request and no state at all: neither value is known to be the client’s', async () => {
    const browser = new TestBrowser(server.app);
    const response = await browser.get(`${authorizeUrl(ISSUER_U, seedAuthorizeParams())}&state=attacker-chosen`);
    expect(response.statusCode).toBe(303);
    expect(String(response.headers.location).startsWith(`${SEED_REDIRECT_URI}?`)).toBe(true);
    const params = redirectParams(response);
    expect(params.get('error')).toBe('invalid_request');
    expect(params.has('state')).toBe(false);
    expect(params.get('iss')).toBe(ISSUER_U);
  });

  it('treats an empty state= as no state (RFC 6749 §3.1): the code comes back without state', async () => {
    const redirect = await signInAndAllow(
      new TestBrowser(server.app),
      ISSUER_U,
      seedAuthorizeParams({ state: '' }),
      AGENT,
    );
    const params = redirectParams(redirect);
    expect(params.get('code')).toBeTruthy();
    expect(params.has('state')).toBe(false);
    expect(String(redirect.headers.location)).not.toContain('state=');
  });

  it('treats an empty state= as no state in an error redirect too', async () => {
    const browser = new TestBrowser(server.app);
    const response = await browser.get(
      authorizeUrl(ISSUER_U, seedAuthorizeParams({ state: '', response_type: 'token' })),
    );
    const params = redirectParams(response);
    expect(params.get('error')).toBe('unsupported_response_type');
    expect(params.has('state')).toBe(false);
  });

  it('still echoes a state given once', async () => {
    const browser = new TestBrowser(server.app);
    const response = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ response_type: 'token' })));
    expect(redirectParams(response).get('state')).toBe(SEED_STATE);
  });

  for (const method of ['POST', 'PUT', 'DELETE'] as const) {
    it(`answers ${method} to the authorization endpoint with 405 and Allow: GET`, async () => {
      const response = await server.app.inject({
        method,
        url: `${PATH}/oauth2/authorize`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(seedAuthorizeParams()).toString(),
      });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('GET');
      expect(response.headers.location).toBeUndefined();
    });
  }
});
