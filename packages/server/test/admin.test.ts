import { describe, expect, it } from 'vitest';
import { createClient } from '../src/admin/clients.js';
import { AdminInputError } from '../src/admin/errors.js';
import { revokeConsent } from '../src/admin/users.js';
import { LOCAL_REDIRECT_URI, TENANT, useTestServer } from './support/harness.js';

const server = useTestServer('all');

describe('operator input validation', () => {
  const base = {
    tenant: TENANT,
    name: 'X',
    platform: 'spa',
    resourceType: 'global',
    redirectUris: [LOCAL_REDIRECT_URI],
    scopes: [],
  };
  it.each(['', '0x3c', '1e2', ' 120 ', '120.0', '-5'])(
    'refuses refresh lifetime %j: only whole seconds in digits',
    async (value) => {
      await expect(createClient(server.context, { ...base, refreshAbsoluteTtlSeconds: value })).rejects.toBeInstanceOf(
        AdminInputError,
      );
      await expect(createClient(server.context, { ...base, refreshGraceSeconds: value })).rejects.toBeInstanceOf(
        AdminInputError,
      );
    },
  );

  it('refuses to revoke consent for an unknown client', async () => {
    await expect(
      revokeConsent(server.context, { tenant: TENANT, actor: 'user', username: 'agent', clientId: 'not-a-client' }),
    ).rejects.toThrow('unknown client not-a-client in tenant TMPRODB88619984');
  });
});
