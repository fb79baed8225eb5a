import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Failed sign-in counters per realm and username, in the database so that every instance sees
 * the same count (an in-memory counter would let an attacker spread guesses over instances).
 */
export class LoginFailureRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(realmId: string, usernameKey: string): Promise<{ failures: number; windowStart: number } | undefined> {
    const row = await this.db
      .selectFrom('login_failures')
      .select(['failures', 'window_start'])
      .where('realm_id', '=', realmId)
      .where('username_key', '=', usernameKey)
      .executeTakeFirst();
    return row && { failures: row.failures, windowStart: row.window_start };
  }

  /** Counts one failure; a window older than `windowSeconds` starts again at one. */
  async recordFailure(realmId: string, usernameKey: string, now: number, windowSeconds: number): Promise<void> {
    await this.db
      .insertInto('login_failures')
      .values({ realm_id: realmId, username_key: usernameKey, failures: 1, window_start: now })
      .onConflict((oc) =>
        oc.columns(['realm_id', 'username_key']).doUpdateSet({
          failures: sql`CASE WHEN login_failures.window_start <= ${now - windowSeconds} THEN 1 ELSE login_failures.failures + 1 END`,
          window_start: sql`CASE WHEN login_failures.window_start <= ${now - windowSeconds} THEN ${now} ELSE login_failures.window_start END`,
        }),
      )
      .execute();
  }

  async clear(realmId: string, usernameKey: string): Promise<void> {
    await this.db
      .deleteFrom('login_failures')
      .where('realm_id', '=', realmId)
      .where('username_key', '=', usernameKey)
      .execute();
  }
}
