import type { Kysely, Selectable } from 'kysely';
import type { Session } from '../protocol/model.js';
import { hotPathOf, type HotPath } from './hot-path.js';
import type { Database, SessionTable } from './schema.js';

/** Sign-in sessions, looked up by the SHA-256 of the cookie value (the cookie is the secret). */
export class SessionRepository {
  private readonly hot: HotPath;

  constructor(db: Kysely<Database>) {
    this.hot = hotPathOf(db);
  }

  async insert(idHash: string, session: Omit<Session, 'id'> & { tenantId: string }, now: number): Promise<void> {
    await this.hot.write('insertSession', {
      id_hash: idHash,
      realm_id: session.realmId,
      tenant_id: session.tenantId,
      user_id: session.userId,
      auth_time: session.authTime,
      expires_at: session.expiresAt,
      created_at: now,
    });
  }

  async findActive(idHash: string, realmId: string, now: number): Promise<Session | undefined> {
    const row = await this.hot.get<Selectable<SessionTable>>(
      'SELECT * FROM sessions WHERE id_hash = ? AND realm_id = ? AND expires_at > ?',
      [idHash, realmId, now],
    );
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
    await this.hot.write('deleteSessionsOfUser', { userId });
  }

  async delete(idHash: string): Promise<void> {
    await this.hot.write('deleteSession', { idHash });
  }
}
