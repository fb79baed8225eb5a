import { UntrustedRedirect } from '../errors.js';
import { clientAllowedInRealm, type Client, type Realm } from '../model.js';

/**
 * The client must exist and be allowed in this realm before anything is redirected to it:
 * an unknown client's redirect_uri cannot be trusted (RFC 6749 §4.1.2.1).
 */
export function checkClient(client: Client | undefined, realm: Realm): Client {
  if (!client || !clientAllowedInRealm(client, realm)) {
    throw new UntrustedRedirect(
      'Unknown application',
      'The application that sent you here is not registered for this sign-in page.',
    );
  }
  return client;
}

export function checkClientIdParameter(values: readonly string[] | undefined): string {
  if (!values || values.length === 0 || values[0] === '') {
    throw new UntrustedRedirect('Invalid request', 'The request does not name an application (client_id is missing).');
  }
  if (values.length > 1) {
    throw new UntrustedRedirect(
      'Invalid request',
      'The request names more than one application (client_id was repeated).',
    );
  }
  return values[0]!;
}
