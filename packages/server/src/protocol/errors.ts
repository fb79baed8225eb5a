/**
 * OAuth 2.0 error codes as typed classes, one per code, with the HTTP status fixed in the class.
 *
 * `error_description` (the message) is sent to the client and must never carry secrets or
 * internals; `detail` is for the log only. The mapping to HTTP lives in `http/error-mapper.ts`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 (authorization endpoint)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 (token endpoint)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1 (protected resources)
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'login_required'
  | 'consent_required';

export abstract class OAuthError extends Error {
  abstract readonly error: OAuthErrorCode;
  abstract readonly status: number;
  /** Extra information for the operator's log; never sent to the client. */
  readonly detail: string | undefined;

  constructor(description: string, detail?: string) {
    super(description);
    this.detail = detail;
  }

  get description(): string {
    return this.message;
  }
}

export class InvalidRequest extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 400;
}

/** RFC 6749 §5.2: 401 with WWW-Authenticate when the client authenticated via a header. */
export class InvalidClient extends OAuthError {
  readonly error = 'invalid_client';
  readonly status = 401;
}

export class InvalidGrant extends OAuthError {
  readonly error = 'invalid_grant';
  readonly status = 400;
}

export class UnauthorizedClient extends OAuthError {
  readonly error = 'unauthorized_client';
  readonly status = 400;
}

export class UnsupportedGrantType extends OAuthError {
  readonly error = 'unsupported_grant_type';
  readonly status = 400;
}

export class UnsupportedResponseType extends OAuthError {
  readonly error = 'unsupported_response_type';
  readonly status = 400;
}

export class InvalidScope extends OAuthError {
  readonly error = 'invalid_scope';
  readonly status = 400;
}

export class AccessDenied extends OAuthError {
  readonly error = 'access_denied';
  readonly status = 403;
}

export class InvalidToken extends OAuthError {
  readonly error = 'invalid_token';
  readonly status = 401;
}

export class InsufficientScope extends OAuthError {
  readonly error = 'insufficient_scope';
  readonly status = 403;
}

export class ServerError extends OAuthError {
  readonly error = 'server_error';
  readonly status = 500;
}

export class TemporarilyUnavailable extends OAuthError {
  readonly error = 'temporarily_unavailable';
  readonly status = 503;
}

export class LoginRequired extends OAuthError {
  readonly error = 'login_required';
  readonly status = 400;
}

export class ConsentRequired extends OAuthError {
  readonly error = 'consent_required';
  readonly status = 400;
}

/**
 * The authorization request names a client or redirect_uri we cannot trust, so the error must
 * be shown to the person instead of being redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.11).
 * Not an OAuth error code: it never reaches a client.
 */
export class UntrustedRedirect extends Error {
  constructor(
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

export const OAUTH_ERROR_CLASSES = [
  InvalidRequest,
  InvalidClient,
  InvalidGrant,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
  InvalidScope,
  AccessDenied,
  InvalidToken,
  InsufficientScope,
  ServerError,
  TemporarilyUnavailable,
  LoginRequired,
  ConsentRequired,
] as const;
