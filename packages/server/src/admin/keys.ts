import type { AppContext } from '../context.js';
import { type AdminCaller, CLI_CALLER } from './caller.js';
import { requireTenantRecord } from './tenants.js';

export interface KeyView {
  readonly kid: string;
  readonly alg: string;
  readonly state: 'active' | 'retiring';
  readonly created_at: number;
  readonly retire_at: number | null;
}

/** Adds a new signing key; the old one stays published for `retiredKeyPublishSeconds`. */
export async function rotateKeys(
  ctx: AppContext,
  input: { tenant?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ tenant: string; kid: string; previous_keys_published_until: number }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller, { allowSystem: caller.actor.kind === 'system' });
  const { kid } = await ctx.keys.rotate(tenant.id);
  const until = ctx.clock.nowSeconds() + ctx.config.retiredKeyPublishSeconds;
  // The key manager commits the rotation in its own transaction; the event follows it.
  await ctx.audit.record({
    type: 'key.rotated',
    tenantId: tenant.id,
    actor: caller.actor,
    target: kid,
    detail: { previous_keys_published_until: until },
  });
  return { tenant: tenant.id, kid, previous_keys_published_until: until };
}

/** Signing keys still published (active and retiring), newest first; retired ones are left out. */
export async function listKeys(
  ctx: AppContext,
  input: { tenant?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ items: KeyView[]; next_cursor: null }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller, { allowSystem: caller.actor.kind === 'system' });
  const now = ctx.clock.nowSeconds();
  const keys = await ctx.repos.signingKeys.listAll(tenant.id);
  return {
    items: keys
      .filter((key) => key.retireAt === null || key.retireAt > now)
      .map((key) => ({
        kid: key.kid,
        alg: key.alg,
        state: key.retireAt === null ? ('active' as const) : ('retiring' as const),
        created_at: key.createdAt,
        retire_at: key.retireAt,
      })),
    next_cursor: null,
  };
}
