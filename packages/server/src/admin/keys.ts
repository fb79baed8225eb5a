import type { AppContext } from '../context.js';
import { requireTenant } from './tenants.js';

/** Adds a new signing key; the old one stays published for `retiredKeyPublishSeconds`. */
export async function rotateKeys(
  ctx: AppContext,
  input: { tenant?: string },
): Promise<{ tenant: string; kid: string; previous_keys_published_until: number }> {
  const tenant = await requireTenant(ctx, input.tenant);
  const { kid } = await ctx.keys.rotate(tenant.id);
  return {
    tenant: tenant.id,
    kid,
    previous_keys_published_until: ctx.clock.nowSeconds() + ctx.config.retiredKeyPublishSeconds,
  };
}
