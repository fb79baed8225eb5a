/**
 * Every code a {@link GatehouseError} can carry, so `switch (err.code)` is exhaustive.
 * The README lists the same codes; `errors.test.ts` keeps the two in step.
 */
export const GATEHOUSE_ERROR_CODES = [
  'login_required',
  'access_denied',
  'oauth_error',
  'state_mismatch',
  'issuer_mismatch',
  'invalid_configuration',
  'discovery_failed',
  'invalid_response',
  'network_error',
  'interaction_required',
  'timeout',
  'popup_blocked',
  'popup_closed',
] as const;

export type GatehouseErrorCode = (typeof GATEHOUSE_ERROR_CODES)[number];

/**
 * Base class of everything the SDK throws. `code` says what went wrong; `cause` keeps the
 * underlying error (an oauth4webapi error, a fetch `TypeError`, …) for logging.
 */
export class GatehouseError extends Error {
  readonly code: GatehouseErrorCode;

  constructor(code: GatehouseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // Set by hand: bundlers that minify class names would otherwise turn this into "e".
    this.name = 'GatehouseError';
  }
}

/**
 * There is no usable session: never signed in, the access token expired and there is no refresh
 * token, or the server refused the refresh token (`invalid_grant`). Call `loginWithRedirect()`.
 */
export class LoginRequiredError extends GatehouseError {
  declare readonly code: 'login_required';

  constructor(message: string, options?: { cause?: unknown }) {
    super('login_required', message, options);
    this.name = 'LoginRequiredError';
  }
}

/**
 * The authorization server answered with an OAuth error, either on the redirect callback
 * (RFC 6749 §4.1.2.1) or from the token endpoint (RFC 6749 §5.2). `error` is the wire code
 * (`invalid_grant`, `invalid_scope`, `server_error`, …), `description` the server's
 * `error_description` when it sent one.
 */
export class OAuthError extends GatehouseError {
  declare readonly code: 'oauth_error' | 'access_denied';
  readonly error: string;
  readonly description: string | undefined;

  constructor(error: string, description?: string, options?: { cause?: unknown }) {
    super(
      error === 'access_denied' ? 'access_denied' : 'oauth_error',
      description ? `${error}: ${description}` : error,
      options,
    );
    this.error = error;
    this.description = description;
    this.name = 'OAuthError';
  }
}

/** The user (or the server's policy) refused the authorization request: `error=access_denied`. */
export class AccessDeniedError extends OAuthError {
  declare readonly code: 'access_denied';

  constructor(description?: string) {
    super('access_denied', description);
    this.name = 'AccessDeniedError';
  }
}

/**
 * The callback's `state` is missing or matches no pending sign-in in this browser tab: a forged
 * callback (CSRF, RFC 6749 §10.12), a callback handled twice, or a sign-in started in another tab
 * (pending sign-ins live in sessionStorage, which is per tab).
 */
export class StateMismatchError extends GatehouseError {
  declare readonly code: 'state_mismatch';

  constructor(message: string) {
    super('state_mismatch', message);
    this.name = 'StateMismatchError';
  }
}

/**
 * The callback's `iss` parameter is missing or names another issuer (RFC 9207 §2.4): the response
 * may come from a different authorization server (mix-up attack), so it is discarded.
 */
export class IssuerMismatchError extends GatehouseError {
  declare readonly code: 'issuer_mismatch';

  constructor(message: string) {
    super('issuer_mismatch', message);
    this.name = 'IssuerMismatchError';
  }
}

/** The options given to `createGatehouseClient` cannot work; the message says which one. */
export class ConfigurationError extends GatehouseError {
  declare readonly code: 'invalid_configuration';

  constructor(message: string) {
    super('invalid_configuration', message);
    this.name = 'ConfigurationError';
  }
}

/**
 * A silent sign-in (`checkSession()` with `prompt=none`) could not finish because Gatehouse needs
 * the person: `consent_required`, `interaction_required`, `account_selection_required` (OIDC Core
 * §3.1.2.6). `error` is the wire code. Call `loginWithRedirect()` or `loginWithPopup()`.
 */
export class InteractionRequiredError extends GatehouseError {
  declare readonly code: 'interaction_required';
  readonly error: string;

  constructor(error: string, description?: string) {
    super('interaction_required', description ? `${error}: ${description}` : error);
    this.error = error;
    this.name = 'InteractionRequiredError';
  }
}

/** A hidden-iframe or popup sign-in got no answer in time (`timeoutSeconds`). */
export class TimeoutError extends GatehouseError {
  declare readonly code: 'timeout';

  constructor(message: string) {
    super('timeout', message);
    this.name = 'TimeoutError';
  }
}

/**
 * `loginWithPopup()` could not open its window (a popup blocker, or the call did not come from a
 * click), or the person closed the window before signing in: codes `popup_blocked`, `popup_closed`.
 */
export class PopupError extends GatehouseError {
  declare readonly code: 'popup_blocked' | 'popup_closed';

  constructor(code: 'popup_blocked' | 'popup_closed', message: string) {
    super(code, message);
    this.name = 'PopupError';
  }
}
