import { describe, expect, it } from 'vitest';
import { UntrustedRedirect } from '../errors.js';
import { acmeClient, ACME_USER_REALM } from '../testing/fakes.js';
import { checkClient, checkClientIdParameter } from './client.js';

const realm = ACME_USER_REALM;
const client = acmeClient({ resourceType: 'user', scopes: [] });

describe('checkClientIdParameter', () => {
  it('returns the single client_id', () => {
    expect(checkClientIdParameter([client.clientId])).toBe(client.clientId);
  });

  it.each([
    ['absent', undefined],
    ['without values', []],
    ['empty', ['']],
    ['repeated', [client.clientId, client.clientId]],
  ])('throws UntrustedRedirect when client_id is %s', (_label, values) => {
    expect(() => checkClientIdParameter(values)).toThrow(UntrustedRedirect);
  });
});

describe('checkClient', () => {
  it('returns a client allowed in the realm', () => {
    expect(checkClient(client, realm)).toBe(client);
  });

  it('throws UntrustedRedirect "Unknown application" for an unknown client or one of another actor', () => {
    expect(() => checkClient(undefined, realm)).toThrow(
      new UntrustedRedirect(
        'Unknown application',
        'The application that sent you here is not registered for this sign-in page.',
      ),
    );
    expect(() => checkClient({ ...client, resourceType: 'customer' }, realm)).toThrow(UntrustedRedirect);
    expect(() => checkClient({ ...client, tenantId: 'OTHER' }, realm)).toThrow(UntrustedRedirect);
  });

  it('throws UntrustedRedirect "Unknown application" for a disabled client: nothing is redirected to it', () => {
    expect(() => checkClient({ ...client, disabled: true }, realm)).toThrow(
      new UntrustedRedirect(
        'Unknown application',
        'The application that sent you here is not registered for this sign-in page.',
      ),
    );
  });
});
