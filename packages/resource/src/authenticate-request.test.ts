import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  USER_ID,
  accessTokenClaims,
  createClock,
  createSigningKey,
  createTestRealm,
  signAccessToken,
  useFakeIssuer,
  type TestRealm,
} from '../test/fake-issuer.js';
import { authenticateRequest } from './authenticate-request.js';
import { InvalidRequestError, InvalidTokenError, InsufficientScopeError } from './errors.js';
import { createJwksStore } from './jwks-store.js';
import { createVerifier, type Verifier } from './verify-access-token.js';

const server = useFakeIssuer();
const key = await createSigningKey('key-1');
const clock = createClock();
let issuer: string;
let verifier: Verifier;
let token: TestRealm['token'];

beforeAll(() => {
  ({ issuer, verifier, token } = createTestRealm(server, 'AUTHN-U', [key], { clock }));
});

const bearer = async (overrides: Record<string, unknown> = {}) => ({
  headers: { authorization: `Bearer ${await token(overrides)}` },
});

describe('authenticateRequest (RFC 6750 §3)', () => {
  it('returns the claims of a valid token with the required scope', async () => {
    const result = await authenticateRequest(await bearer(), verifier, { requiredScopes: ['core.aiservices.read'] });
    expect(result.ok).toBe(true);
    expect(result.ok && result.claims.sub).toBe(USER_ID);
  });

  it('answers a request without credentials 401 with a bare challenge and no error code', async () => {
    expect(await authenticateRequest({ headers: {} }, verifier)).toEqual({
      ok: false,
      status: 401,
      error: undefined,
      wwwAuthenticate: 'Bearer realm="https://api.example.test"',
      body: { error_description: 'The request has no access token' },
      cause: undefined,
    });
  });

  it('answers another authentication scheme like a missing token', async () => {
    const result = await authenticateRequest({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }, verifier);
    expect(result).toMatchObject({
      ok: false,
      status: 401,
      wwwAuthenticate: 'Bearer realm="https://api.example.test"',
    });
  });

  it('ignores an access_token in the query string', async () => {
    const request = { url: `/v1/answers?access_token=${await token()}`, headers: {} };
    expect(await authenticateRequest(request, verifier)).toMatchObject({
      ok: false,
      status: 401,
      error: undefined,
      wwwAuthenticate: 'Bearer realm="https://api.example.test"',
    });
  });

  it('answers an expired token 401 invalid_token with a description', async () => {
    const result = await authenticateRequest(await bearer({ exp: clock.seconds() - 10 }), verifier);
    expect(result).toEqual({
      ok: false,
      status: 401,
      error: 'invalid_token',
      wwwAuthenticate:
        'Bearer realm="https://api.example.test", error="invalid_token", error_description="The access token expired"',
      body: { error: 'invalid_token', error_description: 'The access token expired' },
      cause: expect.any(InvalidTokenError),
    });
  });

  it('answers a badly signed token 401 invalid_token', async () => {
    const forged = await signAccessToken(await createSigningKey('key-1'), accessTokenClaims(issuer, clock.seconds()));
    const result = await authenticateRequest({ headers: { authorization: `Bearer ${forged}` } }, verifier);
    expect(result).toMatchObject({
      status: 401,
      wwwAuthenticate:
        'Bearer realm="https://api.example.test", error="invalid_token", error_description="The access token signature is invalid"',
    });
  });

  it('answers a token without the required scope 403 insufficient_scope listing the scopes needed', async () => {
    const result = await authenticateRequest(await bearer(), verifier, {
      requiredScopes: ['core.aiservices.read', 'core.aiservices.write'],
      realm: 'answers',
    });
    expect(result).toEqual({
      ok: false,
      status: 403,
      error: 'insufficient_scope',
      wwwAuthenticate:
        'Bearer realm="answers", error="insufficient_scope", error_description="The access token does not grant the required scope", scope="core.aiservices.read core.aiservices.write"',
      body: { error: 'insufficient_scope', error_description: 'The access token does not grant the required scope' },
      cause: expect.any(InsufficientScopeError),
    });
  });

  it('answers two credentials 400 invalid_request', async () => {
    const t = await token();
    const result = await authenticateRequest({ headers: { authorization: `Bearer ${t}, Bearer ${t}` } }, verifier);
    expect(result).toEqual({
      ok: false,
      status: 400,
      error: 'invalid_request',
      wwwAuthenticate:
        'Bearer realm="https://api.example.test", error="invalid_request", error_description="The request must carry exactly one access token"',
      body: { error: 'invalid_request', error_description: 'The request must carry exactly one access token' },
      cause: expect.any(InvalidRequestError),
    });
  });

  it('answers "Bearer" without a token 400 invalid_request', async () => {
    const result = await authenticateRequest({ headers: { authorization: 'Bearer ' } }, verifier);
    expect(result).toMatchObject({
      status: 400,
      wwwAuthenticate:
        'Bearer realm="https://api.example.test", error="invalid_request", error_description="The Authorization header has an empty Bearer token"',
    });
  });

  it('answers 503 without a Bearer error code when the issuer keys cannot be fetched', async () => {
    const downIssuer = server.issuer('DOWN-U');
    server.answer(downIssuer, { status: 502, body: '' });
    const down = createVerifier({ issuer: downIssuer, audience: AUDIENCE, jwks: createJwksStore(), now: clock.now });
    const t = await signAccessToken(key, accessTokenClaims(downIssuer, clock.seconds()));
    expect(await authenticateRequest({ headers: { authorization: `Bearer ${t}` } }, down)).toMatchObject({
      ok: false,
      status: 503,
      error: 'temporarily_unavailable',
      wwwAuthenticate: 'Bearer realm="https://api.example.test"',
      body: {
        error: 'temporarily_unavailable',
        error_description: 'The access token cannot be verified at the moment',
      },
    });
  });

  it('escapes a realm containing quotes', async () => {
    const result = await authenticateRequest({ headers: {} }, verifier, { realm: 'say "hi" \\o/' });
    expect(result).toMatchObject({ wwwAuthenticate: 'Bearer realm="say \\"hi\\" \\\\o/"' });
  });
});
