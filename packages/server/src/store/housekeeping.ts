import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Deletes rows nobody can use any more: expired codes, pending requests, sessions, refresh
 * families past their absolute lifetime, deny-list entries of expired access tokens and stale
 * login-failure windows. Safe to run from every instance at once (plain DELETEs by time).
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
  await purge('login_failures', () =>
    db
      .deleteFrom('login_failures')
      .where('window_start', '<', now - loginFailureWindowSeconds)
      .executeTakeFirstOrThrow(),
  );
  return counts;
}
