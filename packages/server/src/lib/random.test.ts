import { describe, expect, it } from 'vitest';
import { systemRandom } from './random.js';

describe('systemRandom.sortableToken', () => {
  it('is 12 hex digits of the current time in milliseconds, then base64url of the asked bytes', () => {
    const before = Date.now();
    const token = systemRandom.sortableToken(32);
    const after = Date.now();
    expect(token).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    const issuedAt = Number.parseInt(token.slice(0, 12), 16);
    expect(issuedAt).toBeGreaterThanOrEqual(before);
    expect(issuedAt).toBeLessThanOrEqual(after);
    expect(Buffer.from(token.slice(12), 'base64url')).toHaveLength(32);
  });

  it('sorts tokens of a later millisecond after those of an earlier one, and never repeats one', async () => {
    const first = systemRandom.sortableToken(32);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = systemRandom.sortableToken(32);
    expect(first.slice(0, 12) < second.slice(0, 12)).toBe(true);
    const tokens = new Set(Array.from({ length: 5_000 }, () => systemRandom.sortableToken(32)));
    expect(tokens.size).toBe(5_000);
  });
});

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
