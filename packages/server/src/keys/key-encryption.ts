import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SigningKeyRecord, SigningKeyRepository } from '../store/signing-keys.repository.js';

/**
 * Envelope encryption of the signing keys' private parts (issue 12, deliverable 5): AES-256-GCM
 * under a 256-bit key-encryption key (KEK) the operator keeps outside the database
 * (GATEHOUSE_KEY_ENCRYPTION_KEY or GATEHOUSE_KEY_ENCRYPTION_KEY_FILE), so a copy of the database
 * alone — a backup, a replica, a SQL injection — no longer yields the keys that sign tokens.
 * The additional authenticated data binds each ciphertext to its tenant and kid: a sealed key
 * moved to another row does not open.
 */

/** Marks a stored private JWK that is sealed, and its format version. */
const SEALED_FORMAT = 'gatehouse-a256gcm-v1';

/** A stored private key: a JWK in clear, or sealed. */
export interface SealedPrivateKey {
  readonly enc: typeof SEALED_FORMAT;
  /** Which KEK sealed it (a fingerprint, not the key), so a wrong KEK is named as such. */
  readonly kek: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export class KeyEncryptionError extends Error {}

/** Parses a KEK: 32 bytes as 64 hex digits or as base64/base64url. */
export function parseKeyEncryptionKey(text: string, source: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(value)
      ? Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : undefined;
  if (key?.length !== 32)
    throw new KeyEncryptionError(
      `${source} must hold a 256-bit key: 64 hex digits or 43-44 base64 characters (make one with: openssl rand -base64 32)`,
    );
  return key;
}

/** A short fingerprint of the KEK, safe to store and print. */
export function kekFingerprint(kek: Buffer): string {
  return createHash('sha256').update('gatehouse key-encryption key').update(kek).digest('hex').slice(0, 16);
}

function aad(tenantId: string, kid: string): Buffer {
  return Buffer.from(`gatehouse signing key ${tenantId} ${kid}`, 'utf8');
}

export function isSealed(privateJwk: Record<string, unknown>): boolean {
  return privateJwk.enc === SEALED_FORMAT;
}

export function sealPrivateKey(
  kek: Buffer,
  tenantId: string,
  kid: string,
  privateJwk: Record<string, unknown>,
): SealedPrivateKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(tenantId, kid));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(privateJwk), 'utf8'), cipher.final()]);
  return {
    enc: SEALED_FORMAT,
    kek: kekFingerprint(kek),
    iv: iv.toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

/** The private JWK of a stored key, opened with `kek` when sealed; plain errors otherwise. */
export function openPrivateKey(
  kek: Buffer | undefined,
  record: Pick<SigningKeyRecord, 'tenantId' | 'kid' | 'privateJwk'>,
): Record<string, unknown> {
  if (!isSealed(record.privateJwk)) return record.privateJwk;
  const sealed = record.privateJwk as unknown as SealedPrivateKey;
  if (!kek)
    throw new KeyEncryptionError(
      'the signing keys are encrypted at rest, but no key-encryption key is set: set GATEHOUSE_KEY_ENCRYPTION_KEY or GATEHOUSE_KEY_ENCRYPTION_KEY_FILE',
    );
  if (sealed.kek !== kekFingerprint(kek))
    throw new KeyEncryptionError(
      `the key-encryption key is not the one the signing keys were encrypted with (key ${record.kid} of tenant ${record.tenantId}): check GATEHOUSE_KEY_ENCRYPTION_KEY / GATEHOUSE_KEY_ENCRYPTION_KEY_FILE`,
    );
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(aad(record.tenantId, record.kid));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new KeyEncryptionError(
      `signing key ${record.kid} of tenant ${record.tenantId} does not decrypt: it was altered or moved to another row`,
    );
  }
}

/**
 * At start: every stored key must open with the configured KEK (else start is refused with a
 * plain message), and when a KEK is set, keys still in clear are sealed (in one transaction).
 * Returns how many keys were sealed.
 */
export async function prepareSigningKeys(repo: SigningKeyRepository, kek: Buffer | undefined): Promise<number> {
  const records = await repo.listStored();
  for (const record of records) openPrivateKey(kek, record);
  if (!kek) return 0;
  const plain = records.filter((record) => !isSealed(record.privateJwk));
  await repo.replacePrivateKeys(
    plain.map((record) => ({
      kid: record.kid,
      privateJwk: { ...sealPrivateKey(kek, record.tenantId, record.kid, record.privateJwk) },
    })),
  );
  return plain.length;
}

/**
 * `gatehouse keys reencrypt`: opens every key with the current KEK (or reads it in clear) and
 * seals it under `newKek`, all in one transaction, so the keys are never split between two KEKs.
 */
export async function reencryptSigningKeys(
  repo: SigningKeyRepository,
  currentKek: Buffer | undefined,
  newKek: Buffer,
): Promise<{ keys: number; kek: string }> {
  const records = await repo.listStored();
  const updates = records.map((record) => ({
    kid: record.kid,
    privateJwk: { ...sealPrivateKey(newKek, record.tenantId, record.kid, openPrivateKey(currentKek, record)) },
  }));
  await repo.replacePrivateKeys(updates);
  return { keys: updates.length, kek: kekFingerprint(newKek) };
}
