/**
 * Every error code this package can produce, so that `switch (err.code)` narrows.
 *
 * The first three are the RFC 6750 §3.1 Bearer error codes. `temporarily_unavailable` means the
 * token could not be checked at all (the issuer's key set or introspection endpoint could not be
 * reached): it is our fault or the authorization server's, not the client's, so it is answered
 * with 503.
 */
export type ResourceErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';

/**
 * Base class of the errors thrown by verification. `message` (also `description`) is safe to send
 * to the client as `error_description`; `detail` explains the failure for logs only.
 */
export abstract class ResourceError extends Error {
  abstract readonly code: ResourceErrorCode;
  abstract readonly status: 400 | 401 | 403 | 503;
  /** Extra context for logs (never sent to the client). */
  readonly detail: string | undefined;

  constructor(description: string, options?: { detail?: string; cause?: unknown }) {
    super(description, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.detail = options?.detail;
  }

  /** Human-readable text for the `error_description` field. */
  get description(): string {
    return this.message;
  }
}

/** The request itself is malformed, e.g. two credentials in the Authorization header (400). */
export class InvalidRequestError extends ResourceError {
  readonly code = 'invalid_request' as const;
  readonly status = 400 as const;
}

/** The access token is expired, revoked (seen by introspection), malformed, or invalid for other reasons (401). */
export class InvalidTokenError extends ResourceError {
  readonly code = 'invalid_token' as const;
  readonly status = 401 as const;
}

/** The token is valid but lacks scopes the resource requires (403). */
export class InsufficientScopeError extends ResourceError {
  readonly code = 'insufficient_scope' as const;
  readonly status = 403 as const;
  /** Every scope the resource requires (RFC 6750 §3 `scope` attribute), not only the missing ones. */
  readonly requiredScopes: readonly string[];
  /** Scopes the token carried. */
  readonly grantedScopes: readonly string[];

  /** With `anyScope`: scopes of which at least one was needed and none was granted. */
  readonly anyOfScopes: readonly string[];

  constructor(
    requiredScopes: readonly string[],
    grantedScopes: readonly string[],
    anyOfScopes: readonly string[] = [],
  ) {
    const missing = requiredScopes.filter((scope) => !grantedScopes.includes(scope));
    super('The access token does not grant the required scope', {
      detail: missing.length > 0 ? `missing scopes: ${missing.join(' ')}` : `needs one of: ${anyOfScopes.join(' ')}`,
    });
    this.requiredScopes = Object.freeze([...requiredScopes]);
    this.grantedScopes = Object.freeze([...grantedScopes]);
    this.anyOfScopes = Object.freeze([...anyOfScopes]);
  }

  /**
   * The `scope` attribute of the challenge (RFC 6750 §3): a set of scopes that is enough for this
   * resource, i.e. every required scope plus, with `anyScope`, all of its alternatives.
   */
  get challengeScope(): string {
    return [...new Set([...this.requiredScopes, ...this.anyOfScopes])].join(' ');
  }
}

/** The token could not be checked because the issuer's keys or introspection endpoint are unreachable (503). */
export class TemporarilyUnavailableError extends ResourceError {
  readonly code = 'temporarily_unavailable' as const;
  readonly status = 503 as const;
}

/**
 * The token is valid and its scopes suffice, but a claim check refused it: wrong `actor`, wrong
 * tenant, or the custom predicate said no. Answered like a missing scope, 403 `insufficient_scope`
 * ("the request requires higher privileges than provided by the access token", RFC 6750 §3.1),
 * without a `scope` attribute since no scope would help. `claim` names the check, for logs.
 */
export class ClaimCheckError extends ResourceError {
  readonly code = 'insufficient_scope' as const;
  readonly status = 403 as const;
  readonly claim: 'actor' | 'tenant' | 'check';

  constructor(claim: 'actor' | 'tenant' | 'check', detail: string) {
    super('The access token does not allow this request', { detail });
    this.claim = claim;
  }
}
