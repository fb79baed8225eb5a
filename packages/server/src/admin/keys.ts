import type { AppContext } from '../http/context.js';
import { requireTenant } from './tenants.js';

/** Adds a new signing key of each algorithm (ES256, RS256); the old ones stay published for `retiredKeyPublishSeconds`. */
export async function rotateKeys(
  ctx: AppContext,
  input: { tenant?: string },
): Promise<{
  tenant: string;
  kid: string;
  kids: { ES256: string; RS256: string };
  previous_keys_published_until: number;
}> {
  const tenant = await requireTenant(ctx, input.tenant);
  const { kid, kids } = await ctx.keys.rotate(tenant.id);
  return {
    tenant: tenant.id,
    kid,
    kids,
    previous_keys_published_until: ctx.clock.nowSeconds() + ctx.config.retiredKeyPublishSeconds,
  };
}
