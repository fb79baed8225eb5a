import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hashOpaqueSecret } from './secrets.js';

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
