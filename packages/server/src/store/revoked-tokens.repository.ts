import type { Kysely } from 'kysely';
import type { RevokedTokenRepository as Port } from '../protocol/ports.js';
import type { Database } from './schema.js';

/** Access-token jtis revoked before their expiry, consulted by introspection and userinfo. */
export class RevokedTokenRepository implements Port {
  constructor(private readonly db: Kysely<Database>) {}

  async revokeAccessToken(jti: string, realmId: string, expiresAt: number): Promise<void> {
    await this.db
      .insertInto('revoked_access_tokens')
      .values({ jti, realm_id: realmId, expires_at: expiresAt })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
  }

  async isAccessTokenRevoked(jti: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('revoked_access_tokens')
      .select('jti')
      .where('jti', '=', jti)
      .executeTakeFirst();
    return row !== undefined;
  }
}
