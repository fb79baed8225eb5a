import type { Kysely } from 'kysely';
import type {
  AuthorizationCodeRecord,
  AuthorizationCodeRepository as Port,
  RefreshTokenRecord,
} from '../protocol/ports.js';
import { RefreshTokenRepository } from './refresh-tokens.repository.js';
import { parseScope } from '../protocol/scope.js';
import type { Database } from './schema.js';

/** Authorization codes, stored under the SHA-256 of the code; the code itself is never stored. */
export class AuthorizationCodeRepository implements Port {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: Omit<AuthorizationCodeRecord, 'consumedAt' | 'accessTokenJti'>): Promise<void> {
    await this.db
      .insertInto('authorization_codes')
      .values({
        code_hash: record.codeHash,
        realm_id: record.realmId,
        tenant_id: record.tenantId,
        client_id: record.clientId,
        user_id: record.userId,
        session_id: record.sessionId,
        redirect_uri: record.redirectUri,
        scope: record.scopes.join(' '),
        code_challenge: record.codeChallenge,
        nonce: record.nonce,
        auth_time: record.authTime,
        expires_at: record.expiresAt,
        consumed_at: null,
        access_token_jti: null,
        created_at: record.authTime,
      })
      .execute();
  }

  async findByHash(codeHash: string): Promise<AuthorizationCodeRecord | undefined> {
    const row = await this.db
      .selectFrom('authorization_codes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return (
      row && {
        codeHash: row.code_hash,
        realmId: row.realm_id,
        tenantId: row.tenant_id,
        clientId: row.client_id,
        userId: row.user_id,
        sessionId: row.session_id,
        redirectUri: row.redirect_uri,
        scopes: parseScope(row.scope) ?? [],
        codeChallenge: row.code_challenge,
        nonce: row.nonce,
        authTime: row.auth_time,
        expiresAt: row.expires_at,
        consumedAt: row.consumed_at,
        accessTokenJti: row.access_token_jti,
      }
    );
  }

  /** One statement decides: of any number of concurrent redemptions exactly one sees a row updated. */
  async consume(
    codeHash: string,
    now: number,
    accessTokenJti: string,
    firstRefreshToken?: RefreshTokenRecord,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('authorization_codes')
        .set({ consumed_at: now, access_token_jti: accessTokenJti })
        .where('code_hash', '=', codeHash)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) return false;
      if (firstRefreshToken) await new RefreshTokenRepository(trx).insert(firstRefreshToken);
      return true;
    });
  }
}
