import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AttemptReservation, ReservationResult, SignInAttemptStore } from '../protocol/sign-in.js';
import { type HotPath, hotPathOf } from './hot-path.js';
import type { Database } from './schema.js';

/**
 * Sign-in attempt counters per realm and key (a username, a client address, both, or the whole
 * realm), in the database so that every instance sees the same count: an in-memory counter
 * would let an attacker spread guesses over instances. Each method is one write operation of the
 * group-commit writer (store/sqlite/write-operations.ts, store/postgres/write-operations.ts): a
 * sign-in never waits for a disk on the event loop.
 *
 * Keys are stored as their SHA-256: any username or address the network sends (a NUL byte,
 * 10 kB of text) fits the column, and the table holds no usernames or addresses in clear.
 */
export class LoginFailureRepository implements SignInAttemptStore {
  private readonly hot: HotPath;

  constructor(db: Kysely<Database>) {
    this.hot = hotPathOf(db);
  }

  async get(realmId: string, key: string): Promise<{ failures: number; windowStart: number } | undefined> {
    const row = await this.hot.get<{ failures: number; window_start: number }>(
      'SELECT failures, window_start FROM login_failures WHERE realm_id = ? AND username_key = ?',
      [realmId, storedAttemptKey(key)],
    );
    return row && { failures: row.failures, windowStart: row.window_start };
  }

  /** See SignInAttemptStore.reserve: all counters or none, atomically, whatever the concurrency. */
  async reserve(
    realmId: string,
    plan: readonly AttemptReservation[],
    now: number,
    windowSeconds: number,
  ): Promise<ReservationResult> {
    return this.hot.write('reserveSignInAttempts', {
      realmId,
      plan: plan.map(({ key, limit }) => ({ key: storedAttemptKey(key), limit })),
      now,
      windowSeconds,
    });
  }

  async settle(realmId: string, cleared: string, released: readonly string[]): Promise<void> {
    await this.hot.write('settleSignInAttempts', {
      realmId,
      cleared: storedAttemptKey(cleared),
      released: released.map(storedAttemptKey),
    });
  }

  /** Counts one failure; a window older than `windowSeconds` starts again at one. */
  async recordFailure(realmId: string, key: string, now: number, windowSeconds: number): Promise<void> {
    await this.reserve(realmId, [{ key, limit: UNLIMITED }], now, windowSeconds);
  }

  async clear(realmId: string, key: string): Promise<void> {
    await this.settle(realmId, key, []);
  }
}

/** The integer column's maximum: a limit that never refuses. */
const UNLIMITED = 2_147_483_647;

/** A counter key as stored: its SHA-256 (exported for the tests that lock a counter row). */
export function storedAttemptKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
