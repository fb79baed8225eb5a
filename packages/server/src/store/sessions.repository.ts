import type { Kysely } from 'kysely';
import type { Session } from '../protocol/model.js';
import type { Database } from './schema.js';

/** Sign-in sessions, looked up by the SHA-256 of the cookie value (the cookie is the secret). */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(idHash: string, session: Omit<Session, 'id'> & { tenantId: string }, now: number): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: idHash,
        realm_id: session.realmId,
        tenant_id: session.tenantId,
        user_id: session.userId,
        auth_time: session.authTime,
        expires_at: session.expiresAt,
        created_at: now,
      })
      .execute();
  }

  async findActive(idHash: string, realmId: string, now: number): Promise<Session | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('realm_id', '=', realmId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return (
      row && {
        id: row.id_hash,
        realmId: row.realm_id,
        userId: row.user_id,
        authTime: row.auth_time,
        expiresAt: row.expires_at,
      }
    );
  }

  /** Ends every session of a person (password change, account disabled). */
  async deleteByUser(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }
}
