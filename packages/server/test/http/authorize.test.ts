import { describe, expect, it } from 'vitest';
import { authorizeUrl, redirectParams, TestBrowser } from '../support/browser.js';
import {
  ISSUER_C,
  ISSUER_U,
  SEED_CHALLENGE,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  seedAuthorizeParams,
  TENANT,
  USER_ONLY_CLIENT_ID,
  useTestServer,
} from '../support/harness.js';

const server = useTestServer('all');

function get(url: string) {
  return new TestBrowser(server.app).get(url);
}

describe('authorization endpoint: requests that must not redirect (error page, 400)', () => {
  const cases: [string, string][] = [
    [
      'an unknown client_id',
      authorizeUrl(ISSUER_U, seedAuthorizeParams({ client_id: '00000000-0000-4000-8000-000000000000' })),
    ],
    ['a missing client_id', authorizeUrl(ISSUER_U, seedAuthorizeParams({ client_id: undefined }))],
    ['a repeated client_id', `${authorizeUrl(ISSUER_U, seedAuthorizeParams())}&client_id=${SEED_CLIENT_ID}`],
    [
      'a client not allowed in this realm',
      authorizeUrl(ISSUER_C, seedAuthorizeParams({ client_id: USER_ONLY_CLIENT_ID })),
    ],
    ['a missing redirect_uri', authorizeUrl(ISSUER_U, seedAuthorizeParams({ redirect_uri: undefined }))],
    [
      'an unregistered redirect_uri',
      authorizeUrl(ISSUER_U, seedAuthorizeParams({ redirect_uri: 'https://evil.example/callback' })),
    ],
    [
      'a redirect_uri differing by a trailing slash',
      authorizeUrl(ISSUER_U, seedAuthorizeParams({ redirect_uri: `${SEED_REDIRECT_URI}/` })),
    ],
    [
      'a redirect_uri with an extra query',
      authorizeUrl(ISSUER_U, seedAuthorizeParams({ redirect_uri: `${SEED_REDIRECT_URI}?x=1` })),
    ],
    [
      'a repeated redirect_uri',
      `${authorizeUrl(ISSUER_U, seedAuthorizeParams())}&redirect_uri=${encodeURIComponent(SEED_REDIRECT_URI)}`,
    ],
  ];
  for (const [name, url] of cases) {
    it(`shows an error page for ${name}, never a redirect`, async () => {
      const response = await get(url);
      expect(response.statusCode).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  }

  it('answers 404 for an unknown tenant realm', async () => {
    const response = await get(authorizeUrl(`http://localhost:8080/system/auth/NOSUCHTENANT-U`, seedAuthorizeParams()));
    expect(response.statusCode).toBe(404);
  });

  it('answers 404 for a malformed realm suffix', async () => {
    const response = await get(authorizeUrl(`http://localhost:8080/system/auth/${TENANT}-X`, seedAuthorizeParams()));
    expect(response.statusCode).toBe(404);
  });
});

describe('authorization endpoint: errors redirected to the client with error, state and iss', () => {
  const cases: [string, Record<string, string | undefined>, string, string?][] = [
    ['missing response_type', { response_type: undefined }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['response_type=code id_token', { response_type: 'code id_token' }, 'unsupported_response_type'],
    ['missing code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['an omitted code_challenge_method (plain)', { code_challenge_method: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['code_challenge_method=s256 (case matters)', { code_challenge_method: 's256' }, 'invalid_request'],
    ['a 42-character code_challenge', { code_challenge: SEED_CHALLENGE.slice(0, 42) }, 'invalid_request'],
    [
      'a code_challenge with a padding character',
      { code_challenge: `${SEED_CHALLENGE.slice(0, 42)}=` },
      'invalid_request',
    ],
    ['missing scope', { scope: undefined }, 'invalid_scope'],
    ['an empty scope', { scope: '' }, 'invalid_scope'],
    ['a scope not assigned to the client', { scope: 'core.aiservices.read core.aiservices.manage' }, 'invalid_scope'],
    ['a scope unknown to the tenant', { scope: 'root' }, 'invalid_scope'],
  ];
  for (const [name, overrides, error] of cases) {
    it(`redirects ${error} for ${name}`, async () => {
      const response = await get(authorizeUrl(ISSUER_U, seedAuthorizeParams(overrides)));
      expect(response.statusCode).toBe(303);
      const location = new URL(response.headers.location as string);
      expect(`${location.origin}${location.pathname}`).toBe(SEED_REDIRECT_URI);
      const params = location.searchParams;
      expect(params.get('error')).toBe(error);
      expect(params.get('error_description')).toBeTruthy();
      expect(params.get('state')).toBe('a1b2c3d4e5f67890');
      expect(params.get('iss')).toBe(ISSUER_U);
      expect(params.has('code')).toBe(false);
    });
  }

  for (const name of ['response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method']) {
    it(`redirects invalid_request when ${name} is repeated`, async () => {
      const params = seedAuthorizeParams();
      const response = await get(`${authorizeUrl(ISSUER_U, params)}&${name}=${encodeURIComponent(params[name]!)}`);
      expect(response.statusCode).toBe(303);
      expect(redirectParams(response).get('error')).toBe('invalid_request');
      expect(redirectParams(response).get('iss')).toBe(ISSUER_U);
    });
  }

  it('echoes the state byte for byte, including reserved characters', async () => {
    const state = 'a b&c=d%25é/?#';
    const response = await get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ response_type: 'token', state })));
    expect(redirectParams(response).get('state')).toBe(state);
  });

  it('omits state from the error redirect when the request had none', async () => {
    const response = await get(
      authorizeUrl(ISSUER_U, seedAuthorizeParams({ response_type: 'token', state: undefined })),
    );
    expect(redirectParams(response).has('state')).toBe(false);
  });

  it('uses the customer realm issuer as iss in the customer realm', async () => {
    const response = await get(authorizeUrl(ISSUER_C, seedAuthorizeParams({ scope: undefined })));
    expect(redirectParams(response).get('iss')).toBe(ISSUER_C);
  });

  it('sends prompt=none without a session back with login_required', async () => {
    const response = await get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ prompt: 'none' })));
    expect(response.statusCode).toBe(303);
    expect(redirectParams(response).get('error')).toBe('login_required');
  });
});

describe('authorization endpoint: valid requests', () => {
  it('sends the seed example request (verbatim URL) to the login page', async () => {
    const seedUrl =
      'http://localhost:8080/system/auth/TMPRODB88619984-U/oauth2/authorize?client_id=b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f&response_type=code&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback&scope=core.aiservices.read%20core.aiservices.write&state=a1b2c3d4e5f67890&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
    const response = await get(seedUrl);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(new RegExp(`^${ISSUER_U}/login\\?request=[A-Za-z0-9_-]{32}$`));
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain(`Path=/system/auth/${TENANT}-U/`);
    expect(cookie).not.toContain('Secure');
  });

  it('ignores unknown parameters', async () => {
    const response = await get(`${authorizeUrl(ISSUER_U, seedAuthorizeParams())}&foo=bar&foo=baz`);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain('/login?request=');
  });

  it('accepts a request without state', async () => {
    const response = await get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ state: undefined })));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain('/login?request=');
  });

  it('accepts the customer realm for a global client', async () => {
    const response = await get(authorizeUrl(ISSUER_C, seedAuthorizeParams()));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(new RegExp(`^${ISSUER_C}/login\\?request=`));
  });
});

describe('authorization endpoint: prompt', () => {
  it('redirects invalid_request for an unsupported prompt value', async () => {
    const response = await get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ prompt: 'select_account' })));
    expect(response.statusCode).toBe(303);
    expect(redirectParams(response).get('error')).toBe('invalid_request');
  });
});
