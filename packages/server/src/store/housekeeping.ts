import type { Kysely } from 'kysely';
import { hotPathOf } from './hot-path.js';
import type { Database } from './schema.js';

/**
 * Deletes rows nobody can use any more: expired codes, pending requests, sessions, refresh
 * families past their absolute lifetime, deny-list entries of expired access tokens and stale
 * login-failure windows. Safe to run from every instance at once (DELETEs by time; on PostgreSQL
 * the sign-in counters skip a row a sign-in holds, see below).
 */
export async function purgeExpired(
  db: Kysely<Database>,
  now: number,
  loginFailureWindowSeconds: number,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const purge = async (name: string, run: () => Promise<{ numDeletedRows: bigint }>) => {
    counts[name] = Number((await run()).numDeletedRows);
  };
  await purge('authorization_codes', () =>
    db.deleteFrom('authorization_codes').where('expires_at', '<', now).executeTakeFirstOrThrow(),
  );
  await purge('pending_authorizations', () =>
    db.deleteFrom('pending_authorizations').where('expires_at', '<', now).executeTakeFirstOrThrow(),
  );
  await purge('sessions', () => db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirstOrThrow());
  await purge('refresh_tokens', () =>
    db.deleteFrom('refresh_tokens').where('family_expires_at', '<', now).executeTakeFirstOrThrow(),
  );
  await purge('revoked_access_tokens', () =>
    db.deleteFrom('revoked_access_tokens').where('expires_at', '<', now).executeTakeFirstOrThrow(),
  );
  const staleBefore = now - loginFailureWindowSeconds;
  await purge('login_failures', () =>
    hotPathOf(db).dialect === 'postgres'
      ? // A sign-in's reservation locks several counters in plan order; a bulk DELETE taking the
        // same rows in scan order could deadlock with it. A counter in use now is left for the
        // next run instead (SKIP LOCKED): the purge never waits for a sign-in.
        db
          .deleteFrom('login_failures')
          .where(({ eb, refTuple, selectFrom }) =>
            eb(
              refTuple('realm_id', 'username_key'),
              'in',
              selectFrom('login_failures')
                .select(['realm_id', 'username_key'])
                .where('window_start', '<', staleBefore)
                .forUpdate()
                .skipLocked()
                .$asTuple('realm_id', 'username_key'),
            ),
          )
          .executeTakeFirstOrThrow()
      : db.deleteFrom('login_failures').where('window_start', '<', staleBefore).executeTakeFirstOrThrow(),
  );
  return counts;
}
