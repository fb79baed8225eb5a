import * as oauth from 'oauth4webapi';
import {
  AccessDeniedError,
  GatehouseError,
  InteractionRequiredError,
  LoginRequiredError,
  OAuthError,
} from '../errors.js';

/** OAuth error from its wire code, choosing the dedicated class where there is one. */
export function oauthError(error: string, description: string | undefined, cause?: unknown): OAuthError {
  return error === 'access_denied' ? new AccessDeniedError(description) : new OAuthError(error, description, { cause });
}

/** OIDC Core §3.1.2.6: what a `prompt=none` request answers when Gatehouse needs the person. */
const INTERACTION_ERRORS = new Set(['consent_required', 'interaction_required', 'account_selection_required']);

/**
 * The error of an authorization response (RFC 6749 §4.1.2.1): `login_required` is a
 * {@link LoginRequiredError} (nobody is signed in at Gatehouse: sign in interactively), the other
 * `prompt=none` refusals an {@link InteractionRequiredError}, anything else an {@link OAuthError}.
 */
export function authorizationError(error: string, description: string | undefined): GatehouseError {
  if (error === 'login_required')
    return new LoginRequiredError(description ?? 'nobody is signed in at the authorization server', {
      cause: new OAuthError(error, description),
    });
  if (INTERACTION_ERRORS.has(error)) return new InteractionRequiredError(error, description);
  return oauthError(error, description);
}

/**
 * Turns whatever an oauth4webapi call threw into a {@link GatehouseError}: an OAuth error body
 * (RFC 6749 §5.2) or a `WWW-Authenticate` challenge becomes an {@link OAuthError}; anything else
 * the library rejected (wrong content type, missing `access_token`, …) is `invalid_response`.
 */
export function toGatehouseError(err: unknown): GatehouseError {
  if (err instanceof GatehouseError) return err;
  if (err instanceof oauth.ResponseBodyError) return oauthError(err.error, err.error_description, err);
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    const params = err.cause[0]?.parameters;
    return oauthError(params?.error ?? 'invalid_client', params?.error_description, err);
  }
  return new GatehouseError(
    'invalid_response',
    `unexpected response from the authorization server: ${(err as Error)?.message ?? String(err)}`,
    { cause: err },
  );
}

/** Wraps fetch so that a failed request (offline, DNS, CORS) is a `network_error`. */
export function wrapFetch(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await fetchImpl(input, init);
    } catch (cause) {
      throw new GatehouseError(
        'network_error',
        `request to the authorization server failed: ${(cause as Error)?.message ?? String(cause)}`,
        { cause },
      );
    }
  };
}
