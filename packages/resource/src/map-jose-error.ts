import { errors } from 'jose';
import { invalidClaim, missingClaim } from './claims.js';
import { InvalidTokenError, ResourceError } from './errors.js';

/**
 * Turns what `jwtVerify` threw into one of our errors. The client gets a short description; the
 * jose code and message go to `detail` for the logs. Errors that are neither ours nor jose's are
 * bugs or crypto failures and are rethrown untouched.
 */
export function mapJoseError(err: unknown): ResourceError {
  if (err instanceof ResourceError) return err;
  if (!(err instanceof errors.JOSEError)) throw err;
  const options = { detail: `${err.code}: ${err.message}`, cause: err };
  if (err instanceof errors.JWTExpired) return new InvalidTokenError('The access token expired', options);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return withDetail(missingClaim(err.claim), options);
    switch (err.claim) {
      case 'aud':
        return new InvalidTokenError('The access token is not intended for this audience', options);
      case 'nbf':
        return new InvalidTokenError('The access token is not valid yet', options);
      case 'iss':
        return new InvalidTokenError('The access token issuer is not trusted', options);
      default:
        return withDetail(invalidClaim(err.claim), options);
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('The access token signature is invalid', options);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return new InvalidTokenError('The access token is signed with an unknown key', options);
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return new InvalidTokenError('The access token is malformed', options);
  }
  return new InvalidTokenError('The access token is invalid', options);
}

function withDetail(error: InvalidTokenError, options: { detail: string; cause: unknown }): InvalidTokenError {
  return new InvalidTokenError(error.message, options);
}
