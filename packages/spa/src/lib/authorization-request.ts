import * as oauth from 'oauth4webapi';
import { ConfigurationError } from '../errors.js';
import type { AuthorizationOptions } from '../types.js';
import { requestsOpenId } from './openid.js';
import type { PendingTransaction } from './transactions.js';

const list = (value: string | readonly string[] | undefined): string[] =>
  (typeof value === 'string' ? value.split(' ') : [...(value ?? [])]).filter(Boolean);

export interface AuthorizationRequest {
  url: string;
  tx: PendingTransaction;
}

/**
 * Builds an authorization request (OAuth 2.1 §4.1.1) with PKCE S256, a fresh `state` (prefixed
 * for popups and iframes, see `RELAY_STATE_PREFIX`), a `nonce` for OpenID Connect, and the
 * sign-in options of OIDC Core §3.1.2.1 (`prompt`, `login_hint`, `max_age`, `ui_locales`).
 * Returns the URL and the transaction the callback will need.
 */
export async function createAuthorizationRequest(
  endpoint: string,
  client: { clientId: string; redirectUri: string; scope: string; now: number },
  options: AuthorizationOptions,
  statePrefix = '',
): Promise<AuthorizationRequest> {
  const { maxAge } = options;
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0))
    throw new ConfigurationError('maxAge must be a whole number of seconds >= 0');
  const scope = [...new Set([...list(options.scope ?? client.scope), ...list(options.extraScopes)])].join(' ');
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = statePrefix + oauth.generateRandomState();
  // OIDC Core §3.1.2.1: binds the ID token to this sign-in, so a token injected from another cannot pass.
  const nonce = requestsOpenId(scope) ? oauth.generateRandomNonce() : undefined;
  const params: Record<string, string | undefined> = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    nonce,
    prompt: options.prompt,
    login_hint: options.loginHint,
    max_age: maxAge?.toString(),
    ui_locales: list(options.uiLocales).join(' ') || undefined,
  };
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return {
    url: url.href,
    tx: { state, codeVerifier, redirectUri: client.redirectUri, scope, nonce, maxAge, createdAt: client.now },
  };
}
