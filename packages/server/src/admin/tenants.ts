import type { AppContext } from '../context.js';
import { TENANT_ID, type Tenant } from '../protocol/model.js';
import { parseScope } from '../protocol/scope.js';
import { AdminInputError } from './errors.js';

export async function createTenant(
  ctx: AppContext,
  input: { id?: string; name?: string; apiDomain?: string },
): Promise<Tenant> {
  const id = input.id ?? '';
  if (!TENANT_ID.test(id))
    throw new AdminInputError('--id must be upper-case letters and digits, like TMPRODB88619984');
  const name = (input.name ?? '').trim();
  if (!name) throw new AdminInputError('--name is required');
  const apiDomain = input.apiDomain ?? '';
  if (!isHttpUrl(apiDomain))
    throw new AdminInputError('--api-domain must be an absolute http(s) URL, like https://api.example.com');
  if (await ctx.repos.tenants.findById(id)) throw new AdminInputError(`tenant ${id} already exists`);
  const tenant = { id, name, apiDomain };
  await ctx.repos.tenants.insert(tenant, ctx.clock.nowSeconds());
  await ctx.keys.ensureKey(id);
  return tenant;
}

export async function createScope(
  ctx: AppContext,
  input: { tenant?: string; name?: string; description?: string },
): Promise<{ tenant: string; name: string; description: string }> {
  const tenant = await requireTenant(ctx, input.tenant);
  const name = input.name ?? '';
  if (!name || parseScope(name)?.length !== 1)
    throw new AdminInputError('--name must be one scope token, like core.aiservices.read');
  const description = (input.description ?? '').trim();
  if (!description) throw new AdminInputError('--description is required (it is shown on the consent page)');
  if ((await ctx.repos.tenants.listScopes(tenant.id)).some((scope) => scope.name === name))
    throw new AdminInputError(`scope ${name} already exists in ${tenant.id}`);
  await ctx.repos.tenants.insertScope(tenant.id, { name, description }, ctx.clock.nowSeconds());
  return { tenant: tenant.id, name, description };
}

export async function requireTenant(ctx: AppContext, id: string | undefined): Promise<Tenant> {
  if (!id) throw new AdminInputError('--tenant is required');
  const tenant = await ctx.repos.tenants.findById(id);
  if (!tenant) throw new AdminInputError(`unknown tenant ${id}`);
  return tenant;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.hash;
  } catch {
    return false;
  }
}
