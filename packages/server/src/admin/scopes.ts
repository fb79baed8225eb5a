import type { AppContext } from '../context.js';
import { BUILT_IN_SCOPES } from '../protocol/built-in-scopes.js';
import { parseScope } from '../protocol/scope.js';
import type { ScopeRecord } from '../store/tenants.repository.js';
import { type AdminCaller, CLI_CALLER } from './caller.js';
import { commitChange } from './change.js';
import { AdminConflict, AdminInputError, AdminNotFound } from './errors.js';
import { type ListInput, pageView, readPage } from './paging.js';
import { requireTenantRecord } from './tenants.js';

export interface ScopeView {
  readonly tenant: string;
  readonly name: string;
  readonly description: string;
  readonly created_at: number;
}

const view = (tenant: string, scope: ScopeRecord): ScopeView => ({
  tenant,
  name: scope.name,
  description: scope.description,
  created_at: scope.createdAt,
});

export async function createScope(
  ctx: AppContext,
  input: { tenant?: string; name?: string; description?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ tenant: string; name: string; description: string }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  const name = input.name ?? '';
  if (!name || parseScope(name)?.length !== 1)
    throw new AdminInputError('--name must be one scope token, like core.aiservices.read', '/name');
  // Issue 12: openid, profile, email and offline_access mean what OpenID Connect says, not a tenant's API.
  if (BUILT_IN_SCOPES.has(name))
    throw new AdminInputError(
      `--name ${name} is a built-in OpenID Connect scope; every client may already request it`,
      '/name',
    );
  const description = requireDescription(input.description);
  if (await ctx.repos.tenants.findScope(tenant.id, name))
    throw new AdminConflict(`scope ${name} already exists in ${tenant.id}`, '/name');
  const now = ctx.clock.nowSeconds();
  return commitChange(ctx, caller, async (repos) => {
    await repos.tenants.insertScope(tenant.id, { name, description }, now);
    const result = { tenant: tenant.id, name, description };
    return { result, audit: { type: 'scope.created', tenantId: tenant.id, target: name, after: result } };
  });
}

export async function listScopes(
  ctx: AppContext,
  input: ListInput & { tenant?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ items: ScopeView[]; next_cursor: string | null }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  const page = await ctx.repos.tenants.listScopesPage(tenant.id, readPage(input));
  return pageView(page, (scope) => view(tenant.id, scope));
}

export async function getScope(
  ctx: AppContext,
  input: { tenant?: string; name?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<ScopeView> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  return view(tenant.id, await requireScope(ctx, tenant.id, input.name));
}

export async function updateScope(
  ctx: AppContext,
  input: { tenant?: string; name?: string; description?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<ScopeView> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  const before = await requireScope(ctx, tenant.id, input.name);
  const description = requireDescription(input.description);
  return commitChange(ctx, caller, async (repos) => {
    await repos.tenants.updateScope(tenant.id, before.name, description);
    const after = view(tenant.id, { ...before, description });
    return {
      result: after,
      audit: {
        type: 'scope.updated',
        tenantId: tenant.id,
        target: before.name,
        before: view(tenant.id, before),
        after,
      },
    };
  });
}

/** Refused while a client holds the scope: removing it would silently change what the client gets. */
export async function deleteScope(
  ctx: AppContext,
  input: { tenant?: string; name?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ tenant: string; name: string; deleted: true }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  const scope = await requireScope(ctx, tenant.id, input.name);
  return commitChange(ctx, caller, async (repos) => {
    const holders = await repos.clientAdmin.holdersOfScope(tenant.id, scope.name);
    if (holders.length > 0)
      throw new AdminConflict(
        `scope ${scope.name} is held by client(s) ${holders.join(', ')}; remove it from them first`,
      );
    await repos.tenants.deleteScope(tenant.id, scope.name);
    return {
      result: { tenant: tenant.id, name: scope.name, deleted: true as const },
      audit: { type: 'scope.deleted', tenantId: tenant.id, target: scope.name, before: view(tenant.id, scope) },
    };
  });
}

async function requireScope(ctx: AppContext, tenantId: string, name: string | undefined): Promise<ScopeRecord> {
  if (!name) throw new AdminInputError('--name is required', '/name');
  const scope = await ctx.repos.tenants.findScope(tenantId, name);
  if (!scope) throw new AdminNotFound(`unknown scope ${name} in ${tenantId}`);
  return scope;
}

function requireDescription(value: string | undefined): string {
  const description = (value ?? '').trim();
  if (!description)
    throw new AdminInputError('--description is required (it is shown on the consent page)', '/description');
  if (description.length > 500)
    throw new AdminInputError('--description must have at most 500 characters', '/description');
  return description;
}
