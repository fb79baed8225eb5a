import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Sign-in attempt counters per realm and key (a username, a client address, both, or the whole
 * realm), in the database so that every instance sees the same count: an in-memory counter
 * would let an attacker spread guesses over instances.
 *
 * Keys are stored as their SHA-256: any username or address the network sends (a NUL byte,
 * 10 kB of text) fits the column, and the table holds no usernames or addresses in clear.
 */
export class LoginFailureRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(realmId: string, key: string): Promise<{ failures: number; windowStart: number } | undefined> {
    const row = await this.db
      .selectFrom('login_failures')
      .select(['failures', 'window_start'])
      .where('realm_id', '=', realmId)
      .where('username_key', '=', storedKey(key))
      .executeTakeFirst();
    return row && { failures: row.failures, windowStart: row.window_start };
  }

  /**
   * Reserves one attempt under `key` before any password is checked, in one atomic upsert:
   * the counter only moves while it is under `limit` (or its window has passed), and the row
   * lock serialises concurrent reservations, so no more than `limit` attempts are ever let
   * through in a window however many arrive at once. Returns `undefined` when reserved, else the
   * seconds until the window ends.
   */
  async reserve(
    realmId: string,
    key: string,
    now: number,
    windowSeconds: number,
    limit: number,
  ): Promise<number | undefined> {
    const stored = storedKey(key);
    const expired = sql<boolean>`login_failures.window_start <= ${now - windowSeconds}`;
    const reserved = await this.db
      .insertInto('login_failures')
      .values({ realm_id: realmId, username_key: stored, failures: 1, window_start: now })
      .onConflict((oc) =>
        oc
          .columns(['realm_id', 'username_key'])
          .doUpdateSet({
            failures: sql`CASE WHEN ${expired} THEN 1 ELSE login_failures.failures + 1 END`,
            window_start: sql`CASE WHEN ${expired} THEN ${now} ELSE login_failures.window_start END`,
          })
          .where((eb) => eb.or([expired, eb('login_failures.failures', '<', limit)])),
      )
      .returning('failures')
      .executeTakeFirst();
    if (reserved) return undefined;
    const current = await this.get(realmId, key);
    return Math.max(1, (current?.windowStart ?? now) + windowSeconds - now);
  }

  /** Gives back one reserved attempt (it did not fail, or was never made). */
  async release(realmId: string, key: string): Promise<void> {
    await this.db
      .updateTable('login_failures')
      .set({ failures: sql`failures - 1` })
      .where('realm_id', '=', realmId)
      .where('username_key', '=', storedKey(key))
      .where('failures', '>', 0)
      .execute();
  }

  /** Counts one failure; a window older than `windowSeconds` starts again at one. */
  async recordFailure(realmId: string, key: string, now: number, windowSeconds: number): Promise<void> {
    await this.reserve(realmId, key, now, windowSeconds, UNLIMITED);
  }

  async clear(realmId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('login_failures')
      .where('realm_id', '=', realmId)
      .where('username_key', '=', storedKey(key))
      .execute();
  }
}

/** The integer column's maximum: a limit that never refuses. */
const UNLIMITED = 2_147_483_647;

function storedKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
