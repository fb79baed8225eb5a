import { type Kysely, sql, type Transaction } from 'kysely';
import { FIRST_TOKEN_OF_FAMILY } from './migrations/0007-family-indexes.js';
import type { Database } from './schema.js';

/**
 * Runs `work` in a transaction, or in the caller's when the repository is already bound to one
 * (an admin change and its audit event share one transaction; Kysely cannot nest them).
 */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

/**
 * Deny-lists the access tokens issued with the refresh tokens of a client or person that is about
 * to be deleted, so introspection and userinfo refuse them at once rather than at their expiry.
 */
export async function denyListLiveAccessTokens(
  db: Kysely<Database>,
  column: 'client_id' | 'user_id',
  value: string,
  now: number,
): Promise<void> {
  const live = await db
    .selectFrom('refresh_tokens')
    .select(['access_token_jti', 'access_token_expires_at', 'realm_id'])
    .where('family_id', 'in', familiesOf(db, column, value))
    .where('access_token_jti', 'is not', null)
    .where('access_token_expires_at', '>', now)
    .execute();
  for (const row of live) {
    await db
      .insertInto('revoked_access_tokens')
      .values({ jti: row.access_token_jti!, realm_id: row.realm_id, expires_at: row.access_token_expires_at! })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
  }
}

/**
 * The refresh families of a client or person, found through each family's first token (the
 * partial indexes of migration 0007); every token of a family shares its client and person.
 */
export function familiesOf(db: Kysely<Database>, column: 'client_id' | 'user_id', value: string) {
  return db
    .selectFrom('refresh_tokens')
    .select('family_id')
    .where(column, '=', value)
    .where(sql.raw<boolean>(FIRST_TOKEN_OF_FAMILY));
}
