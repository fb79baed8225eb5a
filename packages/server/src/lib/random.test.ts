import { describe, expect, it } from 'vitest';
import { systemRandom } from './random.js';

describe('systemRandom.token', () => {
  it('returns base64url of the asked number of bytes', () => {
    for (const bytes of [1, 16, 32, 33, 10_000]) {
      const token = systemRandom.token(bytes);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(bytes);
    }
  });

  it('never repeats a token, also across pool refills', () => {
    // 20 000 tokens of 32 bytes span about 80 refills of the 8 KiB pool.
    const tokens = new Set(Array.from({ length: 20_000 }, () => systemRandom.token(32)));
    expect(tokens.size).toBe(20_000);
  });

  it('hands out bytes that look uniformly random (no zeroed or repeated stretches)', () => {
    const bytes = Buffer.concat(Array.from({ length: 4096 }, () => Buffer.from(systemRandom.token(16), 'base64url')));
    const counts = new Array<number>(256).fill(0);
    for (const byte of bytes) counts[byte]! += 1;
    // 65 536 bytes: 256 expected per value; a wiped (zero) stretch would push counts[0] far up.
    expect(Math.max(...counts)).toBeLessThan(400);
    expect(Math.min(...counts)).toBeGreaterThan(150);
  });
});
