import type { AppContext } from '../context.js';
import {
  KeyEncryptionError,
  kekFingerprint,
  parseKeyEncryptionKey,
  prepareSigningKeys,
  reencryptSigningKeys,
} from '../keys/key-encryption.js';
import { AdminInputError } from './errors.js';
import { type AdminCaller, CLI_CALLER } from './caller.js';
import { requireTenantRecord } from './tenants.js';

export interface KeyView {
  readonly kid: string;
  readonly alg: string;
  readonly state: 'active' | 'retiring';
  readonly created_at: number;
  readonly retire_at: number | null;
}

/** Adds a new signing key of each algorithm (ES256, RS256); the old ones stay published for `retiredKeyPublishSeconds`. */
export async function rotateKeys(
  ctx: AppContext,
  input: { tenant?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{
  tenant: string;
  kid: string;
  kids: { ES256: string; RS256: string };
  previous_keys_published_until: number;
}> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller, { allowSystem: caller.actor.kind === 'system' });
  // Never add a key in clear beside sealed ones: needs the KEK when the keys are sealed.
  await prepareSigningKeys(ctx.repos.signingKeys, ctx.config.keyEncryptionKey);
  const { kid, kids } = await ctx.keys.rotate(tenant.id);
  const until = ctx.clock.nowSeconds() + ctx.config.retiredKeyPublishSeconds;
  // The key manager commits the rotation in its own transaction; the event follows it.
  await ctx.audit.record({
    type: 'key.rotated',
    tenantId: tenant.id,
    actor: caller.actor,
    target: kid,
    detail: { previous_keys_published_until: until, kids },
  });
  return { tenant: tenant.id, kid, kids, previous_keys_published_until: until };
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

/**
 * Seals every signing key under a new key-encryption key (first encryption, or KEK rotation):
 * the current keys are opened with the configured KEK (or read in clear), all in one
 * transaction. Restart every instance with the new KEK afterwards.
 */
export async function reencryptKeys(
  ctx: AppContext,
  input: { newKey?: string; source: string },
): Promise<{ keys: number; kek_fingerprint: string; previous_kek_fingerprint: string | null }> {
  if (!input.newKey) throw new AdminInputError(`the new key-encryption key is required (${input.source})`);
  let newKek: Buffer;
  try {
    newKek = parseKeyEncryptionKey(input.newKey, 'the new key-encryption key');
  } catch (error) {
    if (error instanceof KeyEncryptionError) throw new AdminInputError(error.message);
    throw error;
  }
  const current = ctx.config.keyEncryptionKey;
  const result = await reencryptSigningKeys(ctx.repos.signingKeys, current, newKek);
  return {
    keys: result.keys,
    kek_fingerprint: result.kek,
    previous_kek_fingerprint: current ? kekFingerprint(current) : null,
  };
}
