/**
 * Operator errors, shared by the CLI (one line, exit code 2) and the admin API (RFC 9457
 * problem+json with the status below). `field` names the input at fault as a JSON pointer into
 * the API body (`/redirect_uris/0`); the CLI shows the message, which names its flag.
 */
export abstract class AdminError extends Error {
  abstract readonly status: 400 | 404 | 409;
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Invalid operator input: nothing was written. */
export class AdminInputError extends AdminError {
  readonly status = 400 as const;
}

/** No such thing, or one the caller may not see (never a hint that it exists). */
export class AdminNotFound extends AdminError {
  readonly status = 404 as const;
}

/** The change conflicts with what exists (a duplicate, a tenant that is not empty, a scope in use). */
export class AdminConflict extends AdminError {
  readonly status = 409 as const;
}
