import type { AppContext } from '../context.js';
import {
  KeyEncryptionError,
  kekFingerprint,
  parseKeyEncryptionKey,
  prepareSigningKeys,
  reencryptSigningKeys,
} from '../keys/key-encryption.js';
import { AdminInputError } from './errors.js';
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
  // Never add a key in clear beside sealed ones: needs the KEK when the keys are sealed.
  await prepareSigningKeys(ctx.repos.signingKeys, ctx.config.keyEncryptionKey);
  const { kid, kids } = await ctx.keys.rotate(tenant.id);
  return {
    tenant: tenant.id,
    kid,
    kids,
    previous_keys_published_until: ctx.clock.nowSeconds() + ctx.config.retiredKeyPublishSeconds,
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
