import type { AppContext } from '../context.js';
import { TENANT_ID, type Tenant } from '../protocol/model.js';
import type { TenantRecord } from '../store/tenants.repository.js';
import { type AdminCaller, canAccessTenant, CLI_CALLER, isOperator, SYSTEM_TENANT_ID } from './caller.js';
import { commitChange } from './change.js';
import { AdminConflict, AdminInputError, AdminNotFound } from './errors.js';
import { type ListInput, pageView, readPage } from './paging.js';

export { createScope } from './scopes.js';

export interface TenantView {
  readonly id: string;
  readonly name: string;
  readonly api_domain: string;
  readonly created_at: number;
}

export function tenantView(tenant: TenantRecord): TenantView {
  return { id: tenant.id, name: tenant.name, api_domain: tenant.apiDomain, created_at: tenant.createdAt };
}

export async function createTenant(
  ctx: AppContext,
  input: { id?: string; name?: string; apiDomain?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<Tenant> {
  if (!isOperator(caller)) throw new AdminNotFound('only operators create tenants');
  const id = input.id ?? '';
  if (!TENANT_ID.test(id))
    throw new AdminInputError('--id must be upper-case letters and digits, like TMPRODB88619984', '/id');
  if (id === SYSTEM_TENANT_ID) throw new AdminInputError(`--id ${id} is reserved for Gatehouse itself`, '/id');
  const name = requireName(input.name);
  const apiDomain = requireApiDomain(input.apiDomain);
  if (await ctx.repos.tenants.findById(id)) throw new AdminConflict(`tenant ${id} already exists`, '/id');
  const tenant = { id, name, apiDomain };
  const now = ctx.clock.nowSeconds();
  await commitChange(ctx, caller, async (repos) => {
    await repos.tenants.insert(tenant, now);
    return {
      result: undefined,
      audit: { type: 'tenant.created', tenantId: id, target: id, after: tenantView({ ...tenant, createdAt: now }) },
    };
  });
  await ctx.keys.ensureKey(id);
  return tenant;
}

export async function listTenants(
  ctx: AppContext,
  input: ListInput,
  caller: AdminCaller = CLI_CALLER,
): Promise<{ items: TenantView[]; next_cursor: string | null }> {
  const page = await ctx.repos.tenants.listPage(readPage(input), {
    exclude: SYSTEM_TENANT_ID,
    ...(isOperator(caller) ? {} : { only: caller.grant.tenants }),
  });
  return pageView(page, tenantView);
}

export async function getTenant(
  ctx: AppContext,
  input: { tenant?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<TenantView> {
  return tenantView(await requireTenantRecord(ctx, input.tenant, caller));
}

export async function updateTenant(
  ctx: AppContext,
  input: { tenant?: string; name?: string; apiDomain?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<TenantView> {
  const before = await requireTenantRecord(ctx, input.tenant, caller);
  const changes = {
    ...(input.name !== undefined ? { name: requireName(input.name) } : {}),
    ...(input.apiDomain !== undefined ? { apiDomain: requireApiDomain(input.apiDomain) } : {}),
  };
  const after: TenantRecord = { ...before, ...changes };
  return commitChange(ctx, caller, async (repos) => {
    await repos.tenants.update(before.id, changes);
    return {
      result: tenantView(after),
      audit: {
        type: 'tenant.updated',
        tenantId: before.id,
        target: before.id,
        before: tenantView(before),
        after: tenantView(after),
      },
    };
  });
}

/** Deletes an empty tenant; with `cascade`, everything in it (clients, people, grants, keys) too. */
export async function deleteTenant(
  ctx: AppContext,
  input: { tenant?: string; cascade?: boolean },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ id: string; deleted: true }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  if (!isOperator(caller)) throw new AdminNotFound(`unknown tenant ${tenant.id}`);
  return commitChange(ctx, caller, async (repos) => {
    const contents = await repos.tenants.countContents(tenant.id);
    if (!input.cascade && (contents.clients > 0 || contents.users > 0))
      throw new AdminConflict(
        `tenant ${tenant.id} still has ${contents.clients} client(s) and ${contents.users} user(s); delete them first or use --cascade`,
      );
    await repos.tenants.deleteCascade(tenant.id);
    return {
      result: { id: tenant.id, deleted: true as const },
      audit: {
        type: 'tenant.deleted',
        tenantId: tenant.id,
        target: tenant.id,
        before: tenantView(tenant),
        detail: { cascade: input.cascade === true, ...contents },
      },
    };
  });
}

/** The tenant, if it exists and the caller may see it; the same answer otherwise (no hint). */
export async function requireTenantRecord(
  ctx: AppContext,
  id: string | undefined,
  caller: AdminCaller = CLI_CALLER,
  options: { allowSystem?: boolean } = {},
): Promise<TenantRecord> {
  if (!id) throw new AdminInputError('--tenant is required', '/tenant');
  const visible = canAccessTenant(caller, id) && (options.allowSystem || id !== SYSTEM_TENANT_ID);
  const tenant = visible ? await ctx.repos.tenants.findRecord(id) : undefined;
  if (!tenant) throw new AdminNotFound(`unknown tenant ${id}`);
  return tenant;
}

export async function requireTenant(
  ctx: AppContext,
  id: string | undefined,
  caller: AdminCaller = CLI_CALLER,
): Promise<Tenant> {
  return requireTenantRecord(ctx, id, caller);
}

function requireName(value: string | undefined): string {
  const name = (value ?? '').trim();
  if (!name) throw new AdminInputError('--name is required', '/name');
  if (name.length > 200) throw new AdminInputError('--name must have at most 200 characters', '/name');
  return name;
}

function requireApiDomain(value: string | undefined): string {
  const apiDomain = value ?? '';
  if (!isHttpUrl(apiDomain))
    throw new AdminInputError(
      '--api-domain must be an absolute http(s) URL, like https://api.example.com',
      '/api_domain',
    );
  return apiDomain;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.hash;
  } catch {
    return false;
  }
}
