import type { AppContext } from '../context.js';
import { checkBranding, type TenantBranding } from '../protocol/branding.js';
import { AdminInputError } from './errors.js';

/**
 * `gatehouse tenant branding`: sets how the tenant's pages look. Only the fields given change;
 * an empty value clears one.
 */
export async function setTenantBranding(
  ctx: AppContext,
  input: { tenant?: string; displayName?: string; logoUrl?: string; primaryColor?: string },
): Promise<{ tenant: string; branding: TenantBranding }> {
  const tenantId = input.tenant ?? '';
  if (!(await ctx.repos.tenants.findById(tenantId))) throw new AdminInputError(`unknown tenant ${tenantId}`);
  const current = (await ctx.repos.branding.find(tenantId)) ?? {};
  const checked = checkBranding({
    displayName: input.displayName ?? current.displayName,
    logoUrl: input.logoUrl ?? current.logoUrl,
    primaryColor: input.primaryColor ?? current.primaryColor,
  });
  if (!checked.ok) throw new AdminInputError(checked.message);
  await ctx.repos.branding.save(tenantId, checked.branding, ctx.clock.nowSeconds());
  return { tenant: tenantId, branding: checked.branding };
}
