import { listAuditEvents } from '../../admin/audit-events.js';
import { brandingView, getTenantBranding, setTenantBranding } from '../../admin/branding.js';
import { isOperator } from '../../admin/caller.js';
import { listKeys, rotateKeys } from '../../admin/keys.js';
import { createScope, deleteScope, getScope, listScopes, updateScope } from '../../admin/scopes.js';
import { createTenant, deleteTenant, getTenant, listTenants, updateTenant } from '../../admin/tenants.js';
import { type AdminRoute, optionalString } from './route-table.js';
import * as S from './schemas.js';

/** Tenants, scopes, keys, the audit trail and `/me`. */
export const TENANT_ROUTES: AdminRoute[] = [
  {
    method: 'GET',
    url: '/me',
    operationId: 'getMe',
    summary: 'Who is calling, with their role and tenants',
    tag: 'session',
    status: 200,
    response: S.me,
    handle: async ({ caller }) => ({
      id: caller.actor.id,
      username: caller.actor.name,
      role: caller.grant.role,
      tenants: isOperator(caller) ? [] : [...caller.grant.tenants],
    }),
  },
  {
    method: 'GET',
    url: '/tenants',
    operationId: 'listTenants',
    summary: 'List tenants (a tenant administrator sees only theirs)',
    tag: 'tenants',
    querystring: S.listQuery,
    status: 200,
    response: S.page(S.tenant),
    handle: ({ ctx, caller, query }) => listTenants(ctx, query, caller),
  },
  {
    method: 'POST',
    url: '/tenants',
    operationId: 'createTenant',
    summary: 'Create a tenant (operators only)',
    tag: 'tenants',
    body: S.tenantCreate,
    status: 201,
    response: S.tenant,
    handle: async ({ ctx, caller, body }) => {
      const tenant = await createTenant(
        ctx,
        {
          id: optionalString(body, 'id'),
          name: optionalString(body, 'name'),
          apiDomain: optionalString(body, 'api_domain'),
        },
        caller,
      );
      return getTenant(ctx, { tenant: tenant.id }, caller);
    },
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id',
    operationId: 'getTenant',
    summary: 'Show a tenant',
    tag: 'tenants',
    status: 200,
    response: S.tenant,
    handle: ({ ctx, caller, params }) => getTenant(ctx, { tenant: params.tenant_id }, caller),
  },
  {
    method: 'PATCH',
    url: '/tenants/:tenant_id',
    operationId: 'updateTenant',
    summary: "Change a tenant's name or API domain",
    tag: 'tenants',
    body: S.tenantPatch,
    status: 200,
    response: S.tenant,
    handle: ({ ctx, caller, params, body }) =>
      updateTenant(
        ctx,
        { tenant: params.tenant_id, name: optionalString(body, 'name'), apiDomain: optionalString(body, 'api_domain') },
        caller,
      ),
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/branding',
    operationId: 'getTenantBranding',
    summary: "How the tenant's sign-in, consent and account pages look",
    tag: 'tenants',
    status: 200,
    response: S.branding,
    handle: ({ ctx, caller, params }) => getTenantBranding(ctx, { tenant: params.tenant_id }, caller),
  },
  {
    method: 'PATCH',
    url: '/tenants/:tenant_id/branding',
    operationId: 'updateTenantBranding',
    summary: "Change the tenant's display name, https logo or primary colour (null or empty clears one)",
    tag: 'tenants',
    body: S.brandingPatch,
    status: 200,
    response: S.branding,
    handle: async ({ ctx, caller, params, body }) => {
      // null clears a field like the CLI's empty value; an absent field stays as it is.
      const field = (key: string): string | undefined => (body[key] === null ? '' : optionalString(body, key));
      const result = await setTenantBranding(
        ctx,
        {
          tenant: params.tenant_id,
          displayName: field('display_name'),
          logoUrl: field('logo_url'),
          primaryColor: field('primary_color'),
        },
        caller,
      );
      return brandingView(result.tenant, result.branding);
    },
  },
  {
    method: 'DELETE',
    url: '/tenants/:tenant_id',
    operationId: 'deleteTenant',
    summary: 'Delete a tenant: 409 unless empty, or everything in it with ?cascade=true (operators only)',
    tag: 'tenants',
    querystring: S.cascadeQuery,
    status: 204,
    handle: ({ ctx, caller, params, query }) =>
      deleteTenant(ctx, { tenant: params.tenant_id, cascade: query.cascade === true }, caller),
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/scopes',
    operationId: 'listScopes',
    summary: "List a tenant's scopes",
    tag: 'scopes',
    querystring: S.listQuery,
    status: 200,
    response: S.page(S.scope),
    handle: ({ ctx, caller, params, query }) => listScopes(ctx, { ...query, tenant: params.tenant_id }, caller),
  },
  {
    method: 'POST',
    url: '/tenants/:tenant_id/scopes',
    operationId: 'createScope',
    summary: 'Define a scope (built-in OpenID Connect scope names are refused)',
    tag: 'scopes',
    body: S.scopeCreate,
    status: 201,
    response: S.scope,
    handle: async ({ ctx, caller, params, body }) => {
      const created = await createScope(
        ctx,
        {
          tenant: params.tenant_id,
          name: optionalString(body, 'name'),
          description: optionalString(body, 'description'),
        },
        caller,
      );
      return getScope(ctx, { tenant: created.tenant, name: created.name }, caller);
    },
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/scopes/:name',
    operationId: 'getScope',
    summary: 'Show a scope',
    tag: 'scopes',
    status: 200,
    response: S.scope,
    handle: ({ ctx, caller, params }) => getScope(ctx, { tenant: params.tenant_id, name: params.name }, caller),
  },
  {
    method: 'PATCH',
    url: '/tenants/:tenant_id/scopes/:name',
    operationId: 'updateScope',
    summary: "Change a scope's description (shown on the consent page)",
    tag: 'scopes',
    body: S.scopePatch,
    status: 200,
    response: S.scope,
    handle: ({ ctx, caller, params, body }) =>
      updateScope(
        ctx,
        { tenant: params.tenant_id, name: params.name, description: optionalString(body, 'description') },
        caller,
      ),
  },
  {
    method: 'DELETE',
    url: '/tenants/:tenant_id/scopes/:name',
    operationId: 'deleteScope',
    summary: 'Delete a scope: 409 while a client holds it',
    tag: 'scopes',
    status: 204,
    handle: ({ ctx, caller, params }) => deleteScope(ctx, { tenant: params.tenant_id, name: params.name }, caller),
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/keys',
    operationId: 'listKeys',
    summary: "List a tenant's published signing keys",
    tag: 'keys',
    status: 200,
    response: S.page(S.key),
    handle: ({ ctx, caller, params }) => listKeys(ctx, { tenant: params.tenant_id }, caller),
  },
  {
    method: 'POST',
    url: '/tenants/:tenant_id/keys/rotate',
    operationId: 'rotateKeys',
    summary: 'Add a new signing key; the previous one stays published for a while',
    tag: 'keys',
    status: 201,
    response: S.key,
    handle: async ({ ctx, caller, params }) => {
      const { kid } = await rotateKeys(ctx, { tenant: params.tenant_id }, caller);
      const keys = await listKeys(ctx, { tenant: params.tenant_id }, caller);
      return keys.items.find((key) => key.kid === kid);
    },
  },
  {
    method: 'GET',
    url: '/audit-events',
    operationId: 'listAuditEvents',
    summary: 'The audit trail, newest first',
    tag: 'audit',
    querystring: S.auditQuery,
    status: 200,
    response: S.page(S.auditEvent),
    handle: ({ ctx, caller, query }) => listAuditEvents(ctx, query, caller),
  },
];
