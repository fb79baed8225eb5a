/** The attributes of a Bearer challenge (RFC 6750 §3). */
export interface BearerChallenge {
  realm: string;
  error?: string;
  errorDescription?: string;
  /** Space-separated scope tokens, already validated (RFC 6749 §3.3). */
  scope?: string;
}

/**
 * Formats a `WWW-Authenticate: Bearer …` value, e.g.
 * `Bearer realm="api", error="invalid_token", error_description="The access token expired"`.
 *
 * The realm is a quoted-string (RFC 9110 §5.6.4): `"` and `\` are backslash-escaped. RFC 6750
 * §3 forbids `"` and `\` in `error`, `error_description` and `scope` altogether, even escaped, so
 * those are dropped there, as is anything outside printable ASCII (no header injection).
 */
export function formatBearerChallenge(challenge: BearerChallenge): string {
  const params = [`realm=${quote(challenge.realm)}`];
  if (challenge.error !== undefined) params.push(`error="${restrict(challenge.error)}"`);
  if (challenge.errorDescription !== undefined) {
    params.push(`error_description="${restrict(challenge.errorDescription)}"`);
  }
  if (challenge.scope !== undefined) params.push(`scope="${restrict(challenge.scope)}"`);
  return `Bearer ${params.join(', ')}`;
}

/** Throws `TypeError` unless `realm` is printable ASCII (a configuration value, checked at start-up). */
export function assertRealm(realm: unknown): string {
  if (typeof realm !== 'string' || !/^[\x20-\x7E]*$/.test(realm)) {
    throw new TypeError('realm must be a string of printable ASCII characters');
  }
  return realm;
}

function quote(value: string): string {
  return `"${value.replace(/[^\x20-\x7E]/g, '').replace(/["\\]/g, '\\$&')}"`;
}

// RFC 6750 §3: %x20-21 / %x23-5B / %x5D-7E
function restrict(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
}
