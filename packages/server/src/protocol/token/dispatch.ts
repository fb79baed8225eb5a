import { rejectRepeatedParameters, required, type RawParameters } from '../parameters.js';
import { UnauthorizedClient, UnsupportedGrantType } from '../errors.js';
import type { Client } from '../model.js';
import type { GrantHandler, TokenRequest, TokenResponse } from './grant.js';

/** Token endpoint parameters that must not repeat (RFC 6749 §3.2). */
const TOKEN_PARAMETERS = [
  'grant_type',
  'code',
  'redirect_uri',
  'client_id',
  'client_secret',
  'code_verifier',
  'refresh_token',
  'scope',
] as const;

export function checkTokenParameters(parameters: RawParameters): string {
  rejectRepeatedParameters(parameters, TOKEN_PARAMETERS);
  return required(parameters, 'grant_type');
}

/**
 * Routes a token request to its grant handler. New grants (refresh_token, client_credentials,
 * token exchange) are new entries in `handlers`, nothing else changes.
 */
export async function handleTokenRequest(
  handlers: Readonly<Record<string, GrantHandler>>,
  allowedGrants: (client: Client) => readonly string[],
  grantType: string,
  request: TokenRequest,
): Promise<TokenResponse> {
  const handler = Object.hasOwn(handlers, grantType) ? handlers[grantType] : undefined;
  if (!handler) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
  if (!allowedGrants(request.client).includes(grantType))
    throw new UnauthorizedClient(`this client may not use grant_type ${grantType}`);
  return handler(request);
}
