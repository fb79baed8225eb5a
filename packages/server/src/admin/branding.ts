import type { AppContext } from '../context.js';
import { checkBranding, type TenantBranding } from '../protocol/branding.js';
import { type AdminCaller, CLI_CALLER } from './caller.js';
import { commitChange } from './change.js';
import { AdminInputError } from './errors.js';
import { requireTenantRecord } from './tenants.js';

const FIELDS = { displayName: '/display_name', logoUrl: '/logo_url', primaryColor: '/primary_color' } as const;

/**
 * `gatehouse tenant branding` (issue 11): how the tenant's pages look. Only the fields given
 * change; an empty value clears one. Refused: a logo that is not https, a colour that is not
 * #RRGGBB or is unreadable on the white page (protocol/branding.ts). Audited as
 * `tenant.branding-updated`.
 */
export async function setTenantBranding(
  ctx: AppContext,
  input: { tenant?: string; displayName?: string; logoUrl?: string; primaryColor?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ tenant: string; branding: TenantBranding }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  const before = (await ctx.repos.branding.find(tenant.id)) ?? {};
  const checked = checkBranding({
    displayName: input.displayName ?? before.displayName,
    logoUrl: input.logoUrl ?? before.logoUrl,
    primaryColor: input.primaryColor ?? before.primaryColor,
  });
  if (!checked.ok) {
    const field =
      checked.field === 'display_name' ? 'displayName' : checked.field === 'logo_url' ? 'logoUrl' : 'primaryColor';
    throw new AdminInputError(checked.message, FIELDS[field]);
  }
  return commitChange(ctx, caller, async (repos) => {
    await repos.branding.save(tenant.id, checked.branding, ctx.clock.nowSeconds());
    return {
      result: { tenant: tenant.id, branding: checked.branding },
      audit: {
        type: 'tenant.branding-updated',
        tenantId: tenant.id,
        target: tenant.id,
        before,
        after: checked.branding,
      },
    };
  });
}

/** The branding as the admin API shows it (snake_case, null for unset fields). */
export interface BrandingView {
  readonly tenant: string;
  readonly display_name: string | null;
  readonly logo_url: string | null;
  readonly primary_color: string | null;
}

export function brandingView(tenant: string, branding: TenantBranding): BrandingView {
  return {
    tenant,
    display_name: branding.displayName ?? null,
    logo_url: branding.logoUrl ?? null,
    primary_color: branding.primaryColor ?? null,
  };
}

export async function getTenantBranding(
  ctx: AppContext,
  input: { tenant?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<BrandingView> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  return brandingView(tenant.id, (await ctx.repos.branding.find(tenant.id)) ?? {});
}
