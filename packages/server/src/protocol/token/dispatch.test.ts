import { describe, expect, it } from 'vitest';
import { parseParameters } from '../parameters.js';
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType } from '../errors.js';
import { acmeClient, ACME_TENANT, ACME_USER_REALM } from '../testing/fakes.js';
import { checkTokenParameters, handleTokenRequest } from './dispatch.js';
import type { GrantHandler, TokenRequest, TokenResponse } from './grant.js';

const tenant = ACME_TENANT;
const realm = ACME_USER_REALM;
const client = acmeClient();
const RESPONSE: TokenResponse = { access_token: 'token', token_type: 'Bearer', expires_in: 900, scope: 'core.read' };

function request(form: string): TokenRequest {
  return { realm, tenant, client, parameters: parseParameters(form) };
}

describe('checkTokenParameters', () => {
  it('returns the grant_type', () => {
    expect(checkTokenParameters(parseParameters('grant_type=authorization_code&code=abc'))).toBe('authorization_code');
  });

  it('refuses a missing or empty grant_type with invalid_request', () => {
    expect(() => checkTokenParameters(parseParameters('code=abc'))).toThrow(
      new InvalidRequest('missing required parameter grant_type'),
    );
    expect(() => checkTokenParameters(parseParameters('grant_type=&code=abc'))).toThrow(
      new InvalidRequest('missing required parameter grant_type'),
    );
  });

  it.each([
    'grant_type',
    'code',
    'redirect_uri',
    'client_id',
    'client_secret',
    'code_verifier',
    'refresh_token',
    'scope',
  ])('refuses a repeated %s with invalid_request (RFC 6749 §3.2)', (name) => {
    const form = `grant_type=authorization_code&${name}=a&${name}=b`;
    expect(() => checkTokenParameters(parseParameters(form))).toThrow(
      new InvalidRequest(`parameter ${name} was sent more than once`),
    );
  });

  it('ignores repeated unknown parameters', () => {
    expect(checkTokenParameters(parseParameters('grant_type=authorization_code&extra=1&extra=2'))).toBe(
      'authorization_code',
    );
  });
});

describe('handleTokenRequest', () => {
  const calls: TokenRequest[] = [];
  const handler: GrantHandler = async (tokenRequest) => {
    calls.push(tokenRequest);
    return RESPONSE;
  };
  const handlers = { authorization_code: handler };
  const allowAll = () => ['authorization_code'];

  it('routes to the handler of the grant_type and returns its response', async () => {
    const tokenRequest = request('grant_type=authorization_code');
    calls.length = 0;
    expect(await handleTokenRequest(handlers, allowAll, 'authorization_code', tokenRequest)).toBe(RESPONSE);
    expect(calls).toEqual([tokenRequest]);
  });

  it.each([
    'password',
    'client_credentials',
    'implicit',
    'Authorization_Code',
    '__proto__',
    'toString',
    'constructor',
    'hasOwnProperty',
  ])('refuses grant_type %s with unsupported_grant_type', async (grantType) => {
    const error = await handleTokenRequest(handlers, allowAll, grantType, request(`grant_type=${grantType}`)).then(
      () => expect.unreachable('the grant should be unsupported'),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UnsupportedGrantType);
    expect(error).toMatchObject({
      error: 'unsupported_grant_type',
      status: 400,
      message: `grant_type ${grantType} is not supported`,
    });
  });

  it('refuses a supported grant the client may not use with unauthorized_client', async () => {
    await expect(
      handleTokenRequest(handlers, () => [], 'authorization_code', request('grant_type=authorization_code')),
    ).rejects.toThrow(new UnauthorizedClient('this client may not use grant_type authorization_code'));
  });

  it('reports an unknown grant as unsupported before asking whether the client may use it', async () => {
    await expect(handleTokenRequest(handlers, () => [], 'password', request('grant_type=password'))).rejects.toThrow(
      UnsupportedGrantType,
    );
  });
});
