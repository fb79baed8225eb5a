import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hashOpaqueSecret, openWithSecret, sealWithSecret } from './secrets.js';

describe('hashOpaqueSecret', () => {
  it('is the lower-case hex SHA-256 of the UTF-8 secret', () => {
    expect(hashOpaqueSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashOpaqueSecret('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes non-ASCII secrets as UTF-8, not Latin-1', () => {
    expect(hashOpaqueSecret('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });

  it('gives different hashes for different secrets', () => {
    expect(hashOpaqueSecret('code-1')).not.toBe(hashOpaqueSecret('code-2'));
  });

  it('keeps the issue-time prefix of a sortable secret in place of the first 12 hex digits of the hash', () => {
    const secret = `019ad3f0a1b2${'A'.repeat(43)}`;
    const sha256 = createHash('sha256').update(secret).digest('hex');
    expect(hashOpaqueSecret(secret)).toBe(`019ad3f0a1b2${sha256.slice(12)}`);
    expect(hashOpaqueSecret(secret)).toHaveLength(64);
  });

  it('hashes in full a secret that only looks almost sortable (unprefixed tokens of earlier releases, other lengths, upper-case hex)', () => {
    for (const secret of ['A'.repeat(43), `019ad3f0a1b2${'A'.repeat(42)}`, `019AD3F0A1B2${'A'.repeat(43)}`])
      expect(hashOpaqueSecret(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
  });

  it('orders the keys of sortable secrets by their issue time', () => {
    const earlier = hashOpaqueSecret(`019ad3f0a1b2${'z'.repeat(43)}`);
    const later = hashOpaqueSecret(`019ad3f0a1b3${'0'.repeat(43)}`);
    expect(earlier < later).toBe(true);
  });
});

describe('constantTimeEqual', () => {
  it('is true for equal strings', () => {
    expect(constantTimeEqual('csrf-token', 'csrf-token')).toBe(true);
  });

  it('is false for strings that differ in one character', () => {
    expect(constantTimeEqual('csrf-token', 'csrf-tokem')).toBe(false);
  });

  it('is false, without throwing, for strings of different lengths', () => {
    expect(constantTimeEqual('short', 'a much longer string')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });

  it('is true for two empty strings', () => {
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe("sealWithSecret / openWithSecret (the refresh grace window's sealed successor)", () => {
  const SECRET = 'the-old-refresh-token';
  const PLAINTEXT = JSON.stringify({
    access_token: 'a.b.c',
    refresh_token: 'the-new-refresh-token',
    scope: 'openid é',
  });

  it('round-trips any UTF-8 text, the empty string included', () => {
    expect(openWithSecret(SECRET, sealWithSecret(SECRET, PLAINTEXT))).toBe(PLAINTEXT);
    expect(openWithSecret(SECRET, sealWithSecret(SECRET, ''))).toBe('');
  });

  it('is three base64url parts (12-byte IV, 16-byte tag, ciphertext) that do not contain the plaintext', () => {
    const sealed = sealWithSecret(SECRET, PLAINTEXT);
    const parts = sealed.split('.');
    expect(parts.map((part) => Buffer.from(part, 'base64url').length)).toEqual([12, 16, Buffer.byteLength(PLAINTEXT)]);
    expect(parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))).toBe(true);
    expect(sealed).not.toContain('the-new-refresh-token');
  });

  it('uses a fresh IV every time: the same plaintext seals differently', () => {
    expect(sealWithSecret(SECRET, PLAINTEXT)).not.toBe(sealWithSecret(SECRET, PLAINTEXT));
  });

  it('gives undefined, not an exception, for a wrong secret', () => {
    const sealed = sealWithSecret(SECRET, PLAINTEXT);
    expect(openWithSecret('the-new-refresh-token', sealed)).toBeUndefined();
    expect(openWithSecret(`${SECRET}x`, sealed)).toBeUndefined();
    expect(openWithSecret('', sealed)).toBeUndefined();
  });

  it.each([
    ['a flipped ciphertext byte', 2],
    ['a flipped tag byte', 1],
    ['a flipped IV byte', 0],
  ])('gives undefined for %s', (_label, index) => {
    const parts = sealWithSecret(SECRET, PLAINTEXT)
      .split('.')
      .map((part) => Buffer.from(part, 'base64url'));
    const part = parts[index]!;
    part[0] = part[0]! ^ 0x01;
    expect(openWithSecret(SECRET, parts.map((part) => part.toString('base64url')).join('.'))).toBeUndefined();
  });

  it.each([
    ['the empty string', ''],
    ['one part', 'abc'],
    ['two parts', 'abc.def'],
    ['an IV of the wrong length', 'AAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA'],
  ])('gives undefined for a malformed value: %s', (_label, sealed) => {
    expect(openWithSecret(SECRET, sealed)).toBeUndefined();
  });
});

describe('openWithSecret refuses a truncated authentication tag', () => {
  it.each([4, 8, 12, 15])('returns undefined when the tag is cut to %i bytes', (length) => {
    const sealed = sealWithSecret('old-refresh-token', '{"access_token":"x"}');
    const [iv, tag, body] = sealed.split('.');
    const shortTag = Buffer.from(tag!, 'base64url').subarray(0, length).toString('base64url');
    expect(openWithSecret('old-refresh-token', `${iv}.${shortTag}.${body}`)).toBeUndefined();
  });
});
