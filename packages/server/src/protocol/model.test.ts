import { describe, expect, it } from 'vitest';
import {
  clientAllowedInRealm,
  clientBelongsToRealm,
  DEFAULT_REFRESH_POLICY,
  parseRealmId,
  realmIdFor,
  TENANT_ID,
  type Client,
  type ResourceType,
} from './model.js';
import { seedClient, testRealm } from './testing/fakes.js';

function client(overrides: Partial<Client> = {}): Client {
  return seedClient({ scopes: ['core.aiservices.read'], ...overrides });
}

describe('realmIdFor', () => {
  it('appends -U for the user actor and -C for the customer actor', () => {
    expect(realmIdFor('TMPRODB88619984', 'user')).toBe('TMPRODB88619984-U');
    expect(realmIdFor('TMPRODB88619984', 'customer')).toBe('TMPRODB88619984-C');
  });
});

describe('parseRealmId', () => {
  it('parses the seed user realm TMPRODB88619984-U', () => {
    expect(parseRealmId('TMPRODB88619984-U')).toEqual({ tenantId: 'TMPRODB88619984', actor: 'user' });
  });

  it('parses the seed customer realm TMPRODB88619984-C', () => {
    expect(parseRealmId('TMPRODB88619984-C')).toEqual({ tenantId: 'TMPRODB88619984', actor: 'customer' });
  });

  it('accepts tenant ids of 1 and 64 characters', () => {
    expect(parseRealmId('A-U')).toEqual({ tenantId: 'A', actor: 'user' });
    expect(parseRealmId(`${'9'.repeat(64)}-C`)).toEqual({ tenantId: '9'.repeat(64), actor: 'customer' });
  });

  it.each([
    ['a 65-character tenant id', `${'A'.repeat(65)}-U`],
    ['an unknown actor suffix', 'TMPRODB88619984-X'],
    ['a lower-case actor suffix', 'TMPRODB88619984-u'],
    ['a lower-case tenant id', 'tmprodb88619984-U'],
    ['no suffix', 'TMPRODB88619984'],
    ['no tenant', '-U'],
    ['two suffixes', 'TMPRODB88619984-U-C'],
    ['a trailing slash', 'TMPRODB88619984-U/'],
    ['a trailing newline', 'TMPRODB88619984-U\n'],
    ['path traversal', '..-U'],
    ['the empty string', ''],
  ])('refuses %s', (_label, realmId) => {
    expect(parseRealmId(realmId)).toBeUndefined();
  });

  it('round-trips with realmIdFor', () => {
    expect(parseRealmId(realmIdFor('ACME1', 'customer'))).toEqual({ tenantId: 'ACME1', actor: 'customer' });
  });
});

describe('TENANT_ID', () => {
  it('accepts upper-case letters and digits only, 1 to 64 of them', () => {
    expect(TENANT_ID.test('TMPRODB88619984')).toBe(true);
    expect(TENANT_ID.test('A'.repeat(64))).toBe(true);
    expect(TENANT_ID.test('A'.repeat(65))).toBe(false);
    expect(TENANT_ID.test('')).toBe(false);
    expect(TENANT_ID.test('acme')).toBe(false);
    expect(TENANT_ID.test('ACME-1')).toBe(false);
  });
});

describe('clientAllowedInRealm', () => {
  it.each<[ResourceType, boolean, boolean]>([
    ['global', true, true],
    ['user', true, false],
    ['customer', false, true],
  ])(
    'a %s client of the tenant is allowed in its user realm: %s, in its customer realm: %s',
    (resourceType, inUserRealm, inCustomerRealm) => {
      const c = client({ resourceType });
      expect(clientAllowedInRealm(c, testRealm('TMPRODB88619984', 'user'))).toBe(inUserRealm);
      expect(clientAllowedInRealm(c, testRealm('TMPRODB88619984', 'customer'))).toBe(inCustomerRealm);
    },
  );

  it('refuses a global client in a realm of another tenant', () => {
    expect(clientAllowedInRealm(client({ resourceType: 'global' }), testRealm('OTHERTENANT', 'user'))).toBe(false);
    expect(clientAllowedInRealm(client({ resourceType: 'global' }), testRealm('OTHERTENANT', 'customer'))).toBe(false);
  });

  it('compares tenant ids exactly (a tenant whose id is a prefix is another tenant)', () => {
    expect(clientAllowedInRealm(client({ tenantId: 'ACME1' }), testRealm('ACME', 'user'))).toBe(false);
  });
});

describe('disabled clients', () => {
  it('are not allowed in any realm, though they still belong to their realms', () => {
    const disabled = client({ disabled: true });
    for (const actor of ['user', 'customer'] as const) {
      expect(clientAllowedInRealm(disabled, testRealm('TMPRODB88619984', actor))).toBe(false);
      expect(clientBelongsToRealm(disabled, testRealm('TMPRODB88619984', actor))).toBe(true);
    }
  });

  it('belong only to the realms their resource type and tenant allow', () => {
    expect(
      clientBelongsToRealm(client({ disabled: true, resourceType: 'customer' }), testRealm('TMPRODB88619984', 'user')),
    ).toBe(false);
    expect(clientBelongsToRealm(client({ disabled: true }), testRealm('OTHERTENANT', 'user'))).toBe(false);
  });
});

describe('DEFAULT_REFRESH_POLICY', () => {
  it('turns refresh tokens on for spa clients and off for web clients, one week absolute, one day idle, no grace window', () => {
    expect(DEFAULT_REFRESH_POLICY).toEqual({
      spa: { enabled: true, absoluteTtlSeconds: 604_800, idleTtlSeconds: 86_400, graceSeconds: 0 },
      web: { enabled: false, absoluteTtlSeconds: 604_800, idleTtlSeconds: 86_400, graceSeconds: 0 },
    });
  });
});
