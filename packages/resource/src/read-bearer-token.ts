import { InvalidRequestError } from './errors.js';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Reads the access token from the Authorization header (RFC 6750 §2.1), the only place we accept
 * it: tokens in the query string (§2.3) leak into logs and are never read, nor are form bodies.
 *
 * Returns `undefined` when the request carries no Bearer credentials at all (no header, or
 * another scheme such as Basic), which RFC 6750 §3.1 answers without an error code. Throws
 * `InvalidRequestError` when the header is malformed or carries more than one credential.
 */
export function readBearerToken(authorization: string | readonly string[] | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  if (typeof authorization !== 'string') {
    if (authorization.length > 1) throw multipleCredentials();
    return readBearerToken(authorization[0]);
  }
  const value = authorization.trim();
  if (value === '') return undefined;
  // A comma separates credentials when a client merged two Authorization headers.
  if (value.includes(',')) throw multipleCredentials();
  const match = /^(\S+)(?:[ \t]+(.*))?$/s.exec(value);
  const scheme = match?.[1];
  if (scheme === undefined || scheme.toLowerCase() !== 'bearer') return undefined;
  const credentials = match?.[2] ?? '';
  if (credentials === '') {
    throw new InvalidRequestError('The Authorization header has an empty Bearer token');
  }
  if (/\s/.test(credentials)) throw multipleCredentials();
  if (!B64TOKEN.test(credentials)) throw new InvalidRequestError('The bearer token has invalid characters');
  return credentials;
}

function multipleCredentials(): InvalidRequestError {
  return new InvalidRequestError('The request must carry exactly one access token');
}
