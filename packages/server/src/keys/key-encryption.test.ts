import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isSealed,
  KeyEncryptionError,
  kekFingerprint,
  openPrivateKey,
  parseKeyEncryptionKey,
  sealPrivateKey,
} from './key-encryption.js';

const KEK = randomBytes(32);
const JWK = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'private-part' };
const record = (privateJwk: Record<string, unknown>, kid = 'kid-1', tenantId = 'T1') => ({ kid, tenantId, privateJwk });

describe('signing keys sealed at rest (AES-256-GCM)', () => {
  it('seals a private JWK so that nothing of it is readable, and opens it again with the KEK', () => {
    const sealed = sealPrivateKey(KEK, 'T1', 'kid-1', JWK);
    expect(isSealed({ ...sealed })).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('private-part');
    expect(sealed.kek).toBe(kekFingerprint(KEK));
    expect(openPrivateKey(KEK, record({ ...sealed }))).toEqual(JWK);
  });

  it('uses a fresh IV each time', () => {
    expect(sealPrivateKey(KEK, 'T1', 'kid-1', JWK).iv).not.toBe(sealPrivateKey(KEK, 'T1', 'kid-1', JWK).iv);
  });

  it('reads a key in clear as it is, with or without a KEK', () => {
    expect(openPrivateKey(undefined, record(JWK))).toEqual(JWK);
    expect(openPrivateKey(KEK, record(JWK))).toEqual(JWK);
  });

  it('says plainly when the KEK is missing or is not the one that sealed the key', () => {
    const sealed = { ...sealPrivateKey(KEK, 'T1', 'kid-1', JWK) };
    expect(() => openPrivateKey(undefined, record(sealed))).toThrow(
      /no key-encryption key is set: set GATEHOUSE_KEY_ENCRYPTION_KEY/,
    );
    expect(() => openPrivateKey(randomBytes(32), record(sealed))).toThrow(
      /not the one the signing keys were encrypted with/,
    );
  });

  it('refuses a sealed key moved to another row or tampered with', () => {
    const sealed = { ...sealPrivateKey(KEK, 'T1', 'kid-1', JWK) };
    expect(() => openPrivateKey(KEK, record(sealed, 'kid-2'))).toThrow(KeyEncryptionError);
    expect(() => openPrivateKey(KEK, record(sealed, 'kid-1', 'T2'))).toThrow(/does not decrypt/);
    const first = sealed.ciphertext[0] === 'A' ? 'B' : 'A';
    const flipped = { ...sealed, ciphertext: `${first}${sealed.ciphertext.slice(1)}` };
    expect(() => openPrivateKey(KEK, record(flipped))).toThrow(/does not decrypt/);
  });

  it('takes the KEK as 64 hex digits or base64/base64url of 32 bytes, and nothing shorter', () => {
    const key = randomBytes(32);
    expect(parseKeyEncryptionKey(key.toString('hex'), 'k')).toEqual(key);
    expect(parseKeyEncryptionKey(`${key.toString('base64')}\n`, 'k')).toEqual(key);
    expect(parseKeyEncryptionKey(key.toString('base64url'), 'k')).toEqual(key);
    for (const bad of ['', 'secret', randomBytes(16).toString('hex'), randomBytes(31).toString('base64')])
      expect(() => parseKeyEncryptionKey(bad, 'GATEHOUSE_KEY_ENCRYPTION_KEY')).toThrow(/must hold a 256-bit key/);
  });
});
