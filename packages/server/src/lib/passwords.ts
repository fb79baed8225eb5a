import { hash, verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import { createSlots } from './slots.js';

/**
 * argon2id with the OWASP-recommended minimum (19 MiB memory, 2 iterations, 1 lane) for
 * passwords and client secrets. verify() is constant-time in the compared digest.
 */
const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Hashes run at most one per core this process may use (its CPU affinity, so 1 when pinned
 * with taskset). libuv's pool would run four at once, each holding its 19 MiB: on one core that
 * only adds memory (measured, four at once vs one at a time on one core: peak RSS +76 vs
 * +19 MiB, 72 vs 80 checks/s), and sign-ins beyond the cores wait their turn here instead.
 */
const hashSlots = createSlots(availableParallelism());

export function hashSecret(secret: string): Promise<string> {
  return hashSlots.run(() => hash(secret, OPTIONS));
}

export async function verifySecret(secretHash: string, secret: string): Promise<boolean> {
  try {
    return await hashSlots.run(() => verify(secretHash, secret));
  } catch {
    return false;
  }
}
