import { randomFillSync, randomUUID } from 'node:crypto';
import type { Clock, Random } from '../protocol/ports.js';

/** Bytes fetched from the CSPRNG at a time; a token request takes 48-64 of them. */
const POOL_BYTES = 8192;

/**
 * Random tokens cut from a pool that is refilled from the CSPRNG (OpenSSL's RAND_bytes) when
 * it runs out: one call per ~150 tokens instead of one per token (Node's randomUUID does the
 * same). Each byte is handed out once and the pool never leaves this module.
 */
function pooledTokens(): (bytes: number) => string {
  const pool = Buffer.alloc(POOL_BYTES);
  let offset = POOL_BYTES;
  return (bytes) => {
    if (bytes > POOL_BYTES) return randomFillSync(Buffer.alloc(bytes)).toString('base64url');
    if (offset + bytes > POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const token = pool.toString('base64url', offset, offset + bytes);
    // Handed-out bytes are wiped so that nothing in memory can repeat a token already issued.
    pool.fill(0, offset, offset + bytes);
    offset += bytes;
    return token;
  };
}

const token = pooledTokens();

export const systemRandom: Random = {
  token,
  sortableToken: (bytes) => `${Date.now().toString(16).padStart(12, '0')}${token(bytes)}`,
  uuid: () => randomUUID(),
};

export const systemClock: Clock = {
  nowSeconds: () => Math.floor(Date.now() / 1000),
};
