import { describe, expect, it } from 'vitest';
import { OAuthError, UntrustedRedirect } from '../errors.js';
import type { Client } from '../model.js';
import {
  formEncode,
  READ,
  seedClient,
  SEED_CHALLENGE,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_USER_REALM,
  WRITE,
} from '../testing/fakes.js';
import { parseParameters } from '../parameters.js';
import { validateAuthorizationRequest, type AuthorizationRequestResult } from './validate-request.js';

const CUSTOMER_ONLY_ID = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const OTHER_TENANT_ID = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';

const redirectUris = [SEED_REDIRECT_URI, 'http://localhost:5173/callback'];
const CLIENTS = new Map<string, Client>([
  [SEED_CLIENT_ID, seedClient({ redirectUris })],
  [CUSTOMER_ONLY_ID, seedClient({ clientId: CUSTOMER_ONLY_ID, redirectUris, resourceType: 'customer' })],
  [OTHER_TENANT_ID, seedClient({ clientId: OTHER_TENANT_ID, redirectUris, tenantId: 'OTHERTENANT' })],
]);

/** A valid request; entries set to undefined are left out. */
function query(overrides: Record<string, string | undefined> = {}): string {
  return formEncode({
    client_id: SEED_CLIENT_ID,
    response_type: 'code',
    redirect_uri: SEED_REDIRECT_URI,
    scope: `${READ} ${WRITE}`,
    state: 'a1b2c3d4e5f67890',
    code_challenge: SEED_CHALLENGE,
    code_challenge_method: 'S256',
    ...overrides,
  });
}

function validate(
  encoded: string,
  builtInScopes: ReadonlySet<string> = new Set(),
): Promise<AuthorizationRequestResult> {
  return validateAuthorizationRequest({
    realm: SEED_USER_REALM,
    parameters: parseParameters(encoded),
    findClient: async (clientId) => CLIENTS.get(clientId),
    builtInScopes,
  });
}

async function untrusted(encoded: string): Promise<UntrustedRedirect> {
  const error = await validate(encoded).then(
    () => expect.unreachable('the request should have been refused as untrusted'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UntrustedRedirect);
  expect(error).not.toBeInstanceOf(OAuthError);
  return error as UntrustedRedirect;
}

/** The error code of a refused request that goes back to the registered redirect_uri. */
async function redirectedError(encoded: string): Promise<string> {
  const result = await validate(encoded);
  if (result.ok) return expect.unreachable('the request should have been refused');
  expect(result.error).toBeInstanceOf(OAuthError);
  expect(result.redirectUri).toBe(SEED_REDIRECT_URI);
  return result.error.error;
}

describe('validateAuthorizationRequest accepts', () => {
  it("the seed document's full example authorization URL", async () => {
    const seedUrl = new URL(
      'https://ai.egain.cloud/system/auth/TMPRODB88619984-U/oauth2/authorize?client_id=b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f&response_type=code&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback&scope=core.aiservices.read%20core.aiservices.write&state=a1b2c3d4e5f67890&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
    );
    expect(await validate(seedUrl.search.slice(1))).toEqual({
      ok: true,
      client: CLIENTS.get(SEED_CLIENT_ID),
      request: {
        clientId: SEED_CLIENT_ID,
        redirectUri: SEED_REDIRECT_URI,
        scopes: [READ, WRITE],
        state: 'a1b2c3d4e5f67890',
        codeChallenge: SEED_CHALLENGE,
        codeChallengeMethod: 'S256',
        nonce: undefined,
      },
    });
  });

  it('a subset of the assigned scopes', async () => {
    const result = await validate(query({ scope: WRITE }));
    expect(result.ok && result.request.scopes).toEqual([WRITE]);
  });

  it('a scope repeated inside the scope value, once', async () => {
    const result = await validate(query({ scope: `${READ} ${READ}` }));
    expect(result.ok && result.request.scopes).toEqual([READ]);
  });

  it('a built-in scope that is not assigned to the client', async () => {
    const result = await validate(query({ scope: `openid ${READ}` }), new Set(['openid']));
    expect(result.ok && result.request.scopes).toEqual(['openid', READ]);
  });

  it('the second registered redirect_uri', async () => {
    const result = await validate(query({ redirect_uri: 'http://localhost:5173/callback' }));
    expect(result.ok && result.request.redirectUri).toBe('http://localhost:5173/callback');
  });

  it('a request without state, leaving state undefined', async () => {
    const result = await validate(query({ state: undefined }));
    expect(result.ok && result.request.state).toBeUndefined();
  });

  it('a nonce, and treats an empty nonce as absent', async () => {
    const withNonce = await validate(query({ nonce: 'n-0S6_WzA2Mj' }));
    expect(withNonce.ok && withNonce.request.nonce).toBe('n-0S6_WzA2Mj');
    const emptyNonce = await validate(query({ nonce: '' }));
    expect(emptyNonce.ok && emptyNonce.request.nonce).toBeUndefined();
  });

  it('unknown parameters, even repeated ones', async () => {
    const result = await validate(`${query()}&foo=bar&foo=baz&resource=https%3A%2F%2Fapi.example.com`);
    expect(result.ok).toBe(true);
  });
});

describe('validateAuthorizationRequest echoes state byte for byte', () => {
  it('in a valid request, including spaces, "&", "=" and "%"', async () => {
    const result = await validate(query({ state: 'a b&c=d%' }));
    expect(result.ok && result.request.state).toBe('a b&c=d%');
  });

  it('in a redirected error', async () => {
    const result = await validate(query({ state: 'a b&c=d%', response_type: 'token' }));
    expect(result).toMatchObject({ ok: false, redirectUri: SEED_REDIRECT_URI, state: 'a b&c=d%' });
  });

  it('with non-ASCII characters and a trailing space', async () => {
    const result = await validate(query({ state: 'état ✓ ' }));
    expect(result.ok && result.request.state).toBe('état ✓ ');
  });

  it('not at all when state was repeated: neither value is known to be the client’s (issue 12)', async () => {
    const result = await validate(`${query({ state: 'first' })}&state=second`);
    expect(result).toMatchObject({ ok: false, state: undefined });
    expect(!result.ok && result.error.error).toBe('invalid_request');
  });

  it('not at all when state is empty (RFC 6749 §3.1) or holds control characters', async () => {
    expect(await validate(query({ state: '' }))).toMatchObject({ ok: true, request: { state: undefined } });
    const nul = await validate(query({ state: 'x\u0000' }));
    expect(nul).toMatchObject({ ok: false, state: undefined });
    expect(!nul.ok && nul.error.error).toBe('invalid_request');
    const nonce = await validate(query({ nonce: 'n\u0000' }));
    expect(!nonce.ok && nonce.error.error).toBe('invalid_request');
  });
});

describe('validateAuthorizationRequest refuses as untrusted (error page, no redirect)', () => {
  it.each([
    ['client_id is missing', query({ client_id: undefined }), 'Invalid request'],
    ['client_id is empty', query({ client_id: '' }), 'Invalid request'],
    ['client_id is repeated', `${query()}&client_id=${SEED_CLIENT_ID}`, 'Invalid request'],
    ['client_id is unknown', query({ client_id: '00000000-0000-4000-8000-000000000000' }), 'Unknown application'],
    ['the client is not allowed in this realm', query({ client_id: CUSTOMER_ONLY_ID }), 'Unknown application'],
    ['the client belongs to another tenant', query({ client_id: OTHER_TENANT_ID }), 'Unknown application'],
    ['redirect_uri is missing', query({ redirect_uri: undefined }), 'Invalid request'],
    ['redirect_uri is empty', query({ redirect_uri: '' }), 'Invalid request'],
    ['redirect_uri is repeated', `${query()}&redirect_uri=${encodeURIComponent(SEED_REDIRECT_URI)}`, 'Invalid request'],
    [
      'redirect_uri is not registered',
      query({ redirect_uri: 'https://evil.example.com/callback' }),
      'Invalid return address',
    ],
    [
      'redirect_uri differs by a trailing slash',
      query({ redirect_uri: `${SEED_REDIRECT_URI}/` }),
      'Invalid return address',
    ],
    [
      'redirect_uri differs in the case of the host',
      query({ redirect_uri: 'https://OAUTH.pstmn.io/v1/callback' }),
      'Invalid return address',
    ],
    [
      'redirect_uri differs in the case of the path',
      query({ redirect_uri: 'https://oauth.pstmn.io/v1/Callback' }),
      'Invalid return address',
    ],
    ['redirect_uri adds a query', query({ redirect_uri: `${SEED_REDIRECT_URI}?next=/` }), 'Invalid return address'],
    [
      'redirect_uri extends the registered one',
      query({ redirect_uri: `${SEED_REDIRECT_URI}x` }),
      'Invalid return address',
    ],
    [
      'redirect_uri percent-encodes a character of the registered one',
      query({ redirect_uri: 'https://oauth.pstmn.io/v1/%63allback' }),
      'Invalid return address',
    ],
    [
      'redirect_uri adds the default port',
      query({ redirect_uri: 'https://oauth.pstmn.io:443/v1/callback' }),
      'Invalid return address',
    ],
  ])('when %s', async (_label, encoded, title) => {
    expect((await untrusted(encoded)).title).toBe(title);
  });

  it('before looking at any other parameter (unknown client with response_type=token)', async () => {
    await untrusted(query({ client_id: '00000000-0000-4000-8000-000000000000', response_type: 'token' }));
  });

  it('before looking at any other parameter (unregistered redirect_uri without PKCE)', async () => {
    await untrusted(query({ redirect_uri: 'https://evil.example.com/cb', code_challenge: undefined }));
  });
});

describe('validateAuthorizationRequest redirects the error to the client', () => {
  it.each([
    ['response_type is repeated', `${query()}&response_type=code`, 'invalid_request'],
    ['scope is repeated', `${query()}&scope=${READ}`, 'invalid_request'],
    ['code_challenge is repeated', `${query()}&code_challenge=${SEED_CHALLENGE}`, 'invalid_request'],
    ['code_challenge_method is repeated', `${query()}&code_challenge_method=S256`, 'invalid_request'],
    ['nonce is repeated', `${query({ nonce: 'a' })}&nonce=b`, 'invalid_request'],
    ['prompt is repeated', `${query({ prompt: 'login' })}&prompt=consent`, 'invalid_request'],
    ['response_mode is repeated', `${query({ response_mode: 'query' })}&response_mode=query`, 'invalid_request'],
    ['response_type is missing', query({ response_type: undefined }), 'invalid_request'],
    ['response_type is empty', query({ response_type: '' }), 'invalid_request'],
    ['response_type is token (implicit)', query({ response_type: 'token' }), 'unsupported_response_type'],
    [
      'response_type is "code id_token" (hybrid)',
      query({ response_type: 'code id_token' }),
      'unsupported_response_type',
    ],
    ['response_type is CODE', query({ response_type: 'CODE' }), 'unsupported_response_type'],
    ['code_challenge is missing', query({ code_challenge: undefined }), 'invalid_request'],
    ['code_challenge is empty', query({ code_challenge: '' }), 'invalid_request'],
    [
      'code_challenge_method is omitted (which means plain)',
      query({ code_challenge_method: undefined }),
      'invalid_request',
    ],
    ['code_challenge_method is empty', query({ code_challenge_method: '' }), 'invalid_request'],
    ['code_challenge_method is plain', query({ code_challenge_method: 'plain' }), 'invalid_request'],
    ['code_challenge_method is s256 in lower case', query({ code_challenge_method: 's256' }), 'invalid_request'],
    ['code_challenge has 42 characters', query({ code_challenge: SEED_CHALLENGE.slice(0, 42) }), 'invalid_request'],
    ['code_challenge has 44 characters', query({ code_challenge: `${SEED_CHALLENGE}A` }), 'invalid_request'],
    [
      'code_challenge has characters outside base64url',
      query({ code_challenge: `${SEED_CHALLENGE.slice(0, 41)}+/` }),
      'invalid_request',
    ],
    ['code_challenge is padded', query({ code_challenge: `${SEED_CHALLENGE.slice(0, 42)}=` }), 'invalid_request'],
    ['scope is missing', query({ scope: undefined }), 'invalid_scope'],
    ['scope is empty', query({ scope: '' }), 'invalid_scope'],
    ['scope is not assigned to the client', query({ scope: `${READ} core.admin` }), 'invalid_scope'],
    ['scope differs in letter case from an assigned one', query({ scope: 'Core.AIServices.Read' }), 'invalid_scope'],
    ['scope is malformed (two spaces)', query({ scope: `${READ}  ${WRITE}` }), 'invalid_scope'],
    ['scope is malformed (a double quote)', query({ scope: 'core"read' }), 'invalid_scope'],
    ['a built-in scope is requested but none is configured', query({ scope: `openid ${READ}` }), 'invalid_scope'],
  ])('when %s: %s', async (_label, encoded, code) => {
    expect(await redirectedError(encoded)).toBe(code);
  });

  it.each([
    [
      'a repeated parameter before an unsupported response_type',
      `${query({ response_type: 'token' })}&scope=${READ}`,
      'invalid_request',
    ],
    [
      'a missing response_type before a missing code_challenge',
      query({ response_type: undefined, code_challenge: undefined }),
      'invalid_request',
    ],
    [
      'an unsupported response_type before a missing code_challenge',
      query({ response_type: 'token', code_challenge: undefined }),
      'unsupported_response_type',
    ],
    [
      'an unsupported response_type before an unknown scope',
      query({ response_type: 'token', scope: 'core.admin' }),
      'unsupported_response_type',
    ],
    [
      'a missing code_challenge before a missing scope',
      query({ code_challenge: undefined, scope: undefined }),
      'invalid_request',
    ],
    [
      'a plain method before an unassigned scope',
      query({ code_challenge_method: 'plain', scope: 'core.admin' }),
      'invalid_request',
    ],
    [
      'a malformed code_challenge before a missing scope',
      query({ code_challenge: 'short', scope: undefined }),
      'invalid_request',
    ],
  ])('reporting %s', async (_label, encoded, code) => {
    expect(await redirectedError(encoded)).toBe(code);
  });

  it('with the exact description for a plain code_challenge_method', async () => {
    const result = await validate(query({ code_challenge_method: 'plain' }));
    expect(!result.ok && result.error.description).toBe('code_challenge_method must be S256');
  });

  it('with the exact description for an unassigned scope, naming only the refused scopes', async () => {
    const result = await validate(query({ scope: `${READ} core.admin core.billing` }));
    expect(!result.ok && result.error.description).toBe('scope not allowed for this client: core.admin core.billing');
  });
});
