import { describe, expect, it } from 'vitest';
import { createApiKey } from '../src/admin/administrators.js';
import { ensureSystemTenant } from '../src/admin/system-tenant.js';
import { createTenant } from '../src/admin/tenants.js';
import { TENANT, testDialects, useTestServer } from './support/harness.js';

describe.each(testDialects('admin API branding'))('admin API: tenant branding (issue 11) on %s', (dialect) => {
  const server = useTestServer('all', { dialect });
  const keys = { operator: '', otherTenant: '' };
  const call = (method: 'GET' | 'PATCH', path: string, token: string, body?: Record<string, unknown>) =>
    server.app.inject({
      method,
      url: `/admin/api/v1${path}`,
      headers: { authorization: `Bearer ${token}` },
      ...(body ? { payload: body } : {}),
    });

  it('sets up an operator key and a key of another tenant', async () => {
    await ensureSystemTenant(server.context);
    await createTenant(server.context, { id: 'OTHER1', name: 'Other', apiDomain: 'https://api.other.test' });
    keys.operator = (await createApiKey(server.context, { name: 'ops' })).key;
    keys.otherTenant = (await createApiKey(server.context, { name: 'other', tenants: ['OTHER1'] })).key;
  });

  it('GET shows the default look as nulls; PATCH changes only the fields given and is audited', async () => {
    const empty = await call('GET', `/tenants/${TENANT}/branding`, keys.operator);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ tenant: TENANT, display_name: null, logo_url: null, primary_color: null });

    const set = await call('PATCH', `/tenants/${TENANT}/branding`, keys.operator, {
      display_name: 'Acme Help Centre',
      logo_url: 'https://cdn.acme.example/logo.svg',
      primary_color: '#0B6E4F',
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({
      tenant: TENANT,
      display_name: 'Acme Help Centre',
      logo_url: 'https://cdn.acme.example/logo.svg',
      primary_color: '#0b6e4f',
    });
    const cleared = await call('PATCH', `/tenants/${TENANT}/branding`, keys.operator, { logo_url: null });
    expect(cleared.json()).toMatchObject({
      display_name: 'Acme Help Centre',
      logo_url: null,
      primary_color: '#0b6e4f',
    });

    const audit = await server.database.db
      .selectFrom('audit_events')
      .select(['type', 'tenant_id'])
      .where('type', '=', 'tenant.branding-updated')
      .execute();
    expect(audit).toEqual([
      { type: 'tenant.branding-updated', tenant_id: TENANT },
      { type: 'tenant.branding-updated', tenant_id: TENANT },
    ]);
  });

  it('refuses an http logo and an unreadable colour with 400 problem+json naming the field', async () => {
    const logo = await call('PATCH', `/tenants/${TENANT}/branding`, keys.operator, {
      logo_url: 'http://cdn.acme.example/logo.png',
    });
    expect(logo.statusCode).toBe(400);
    expect(logo.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.stringify(logo.json())).toContain('/logo_url');
    const colour = await call('PATCH', `/tenants/${TENANT}/branding`, keys.operator, { primary_color: '#ffff00' });
    expect(colour.statusCode).toBe(400);
    expect(JSON.stringify(colour.json())).toContain('unreadable on the white page');
    const unknownField = await call('PATCH', `/tenants/${TENANT}/branding`, keys.operator, { font: 'Comic Sans' });
    expect(unknownField.statusCode).toBe(400);
  });

  it('deleting a tenant deletes its branding, so a new tenant of the same id starts with the default look', async () => {
    await createTenant(server.context, { id: 'GONE1', name: 'Gone', apiDomain: 'https://api.gone.test' });
    await call('PATCH', '/tenants/GONE1/branding', keys.operator, { display_name: 'Gone Help' });
    const deleted = await server.app.inject({
      method: 'DELETE',
      url: '/admin/api/v1/tenants/GONE1?cascade=true',
      headers: { authorization: `Bearer ${keys.operator}` },
    });
    expect(deleted.statusCode).toBe(204);
    const rows = await server.database.db
      .selectFrom('tenant_branding')
      .selectAll()
      .where('tenant_id', '=', 'GONE1')
      .execute();
    expect(rows).toEqual([]);
  });

  it("another tenant's key cannot see or change this tenant's branding (404)", async () => {
    expect((await call('GET', `/tenants/${TENANT}/branding`, keys.otherTenant)).statusCode).toBe(404);
    const patch = await call('PATCH', `/tenants/${TENANT}/branding`, keys.otherTenant, { display_name: 'Pwned' });
    expect(patch.statusCode).toBe(404);
    expect((await call('GET', `/tenants/${TENANT}/branding`, keys.operator)).json().display_name).toBe(
      'Acme Help Centre',
    );
  });
});
