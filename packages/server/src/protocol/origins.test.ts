import { describe, expect, it } from 'vitest';
import { originsOf, realmOrigins } from './origins.js';
import { ACME_CUSTOMER_REALM, ACME_USER_REALM, acmeClient } from './testing/fakes.js';

describe('realmOrigins', () => {
  const clients = [
    acmeClient({ clientId: 'global', resourceType: 'global', redirectUris: ['https://global.example/cb'] }),
    acmeClient({ clientId: 'agents', resourceType: 'user', redirectUris: ['https://agents.example:8443/cb?x=1'] }),
    acmeClient({ clientId: 'customers', resourceType: 'customer', redirectUris: ['https://customers.example/cb'] }),
    acmeClient({ clientId: 'off', resourceType: 'global', redirectUris: ['https://off.example/cb'], disabled: true }),
    acmeClient({ clientId: 'other', tenantId: 'OTHER', redirectUris: ['https://other-tenant.example/cb'] }),
  ];

  it("allows the redirect origins of the enabled clients usable in the realm (its tenant, global or the realm's actor)", () => {
    expect([...realmOrigins(clients, ACME_USER_REALM)]).toEqual([
      'https://global.example',
      'https://agents.example:8443',
    ]);
    expect([...realmOrigins(clients, ACME_CUSTOMER_REALM)]).toEqual([
      'https://global.example',
      'https://customers.example',
    ]);
  });

  it('skips a URI that does not parse', () => {
    expect([...originsOf(['not a uri', 'http://localhost:5173/callback'])]).toEqual(['http://localhost:5173']);
  });
});
