import { UntrustedRedirect } from '../errors.js';
import type { Client } from '../model.js';

/**
 * RFC 9700 §4.1.1 and OAuth 2.1 §2.3.1: the redirect_uri must be present and equal, character
 * for character, to a registered one. No normalisation, no prefix or wildcard matching.
 */
export function checkRedirectUri(values: readonly string[] | undefined, client: Client): string {
  if (!values || values.length === 0 || values[0] === '') {
    throw new UntrustedRedirect(
      'Invalid request',
      'The request does not say where to return (redirect_uri is missing).',
    );
  }
  if (values.length > 1) {
    throw new UntrustedRedirect(
      'Invalid request',
      'The request names more than one return address (redirect_uri was repeated).',
    );
  }
  const redirectUri = values[0]!;
  if (!client.redirectUris.includes(redirectUri)) {
    throw new UntrustedRedirect(
      'Invalid return address',
      'The return address (redirect_uri) is not registered for this application.',
    );
  }
  return redirectUri;
}
