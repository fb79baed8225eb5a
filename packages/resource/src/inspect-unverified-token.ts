import { decodeJwt, decodeProtectedHeader, type JWSHeaderParameters } from 'jose';
import { InvalidTokenError } from './errors.js';

/** The only algorithm Gatehouse signs access tokens with. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

// RFC 9068 §4 step 1: "at+jwt" or "application/at+jwt"; media types compare case-insensitively
// (RFC 2045 §5.1).
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);

/**
 * Checks the unverified JOSE header before any key is looked up: a token that is not an access
 * token (e.g. an ID token replayed against the API, RFC 9068 §5) or uses another algorithm
 * (`none`, HS256 with the public key as secret) never gets near the verification step.
 */
export function checkTokenHeader(token: string): JWSHeaderParameters {
  let header: JWSHeaderParameters;
  try {
    header = decodeProtectedHeader(token) as JWSHeaderParameters;
  } catch (err) {
    throw new InvalidTokenError('The access token is malformed', { detail: 'undecodable JOSE header', cause: err });
  }
  if (typeof header.typ !== 'string' || !ACCESS_TOKEN_TYPES.has(header.typ.toLowerCase())) {
    throw new InvalidTokenError('The token is not an access token', {
      detail: `typ header is ${quoteForLog(header.typ)}, expected "at+jwt"`,
    });
  }
  if (header.alg !== ACCESS_TOKEN_ALGORITHM) {
    throw new InvalidTokenError('The access token is signed with an unsupported algorithm', {
      detail: `alg header is ${quoteForLog(header.alg)}, expected "${ACCESS_TOKEN_ALGORITHM}"`,
    });
  }
  return header;
}

/**
 * Reads `iss` from the unverified payload, and only returns it when it is one we trust: the key
 * set is looked up by this value, so an unlisted issuer must never cause a fetch.
 */
export function readTrustedIssuer(token: string, trusted: ReadonlySet<string>): string {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch (err) {
    throw new InvalidTokenError('The access token is malformed', { detail: 'undecodable JWT payload', cause: err });
  }
  if (iss === undefined) throw new InvalidTokenError('The access token is missing the "iss" claim');
  if (typeof iss !== 'string' || !trusted.has(iss)) {
    throw new InvalidTokenError('The access token issuer is not trusted', {
      detail: `iss ${quoteForLog(iss)} is not in the allow-list`,
    });
  }
  return iss;
}

/** Attacker-controlled values go to logs bounded in size. */
function quoteForLog(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
