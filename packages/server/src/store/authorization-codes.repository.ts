import type { Kysely, Selectable } from 'kysely';
import type {
  AuthorizationCodeRecord,
  AuthorizationCodeRepository as Port,
  RefreshTokenRecord,
} from '../protocol/ports.js';
import { parseScope } from '../protocol/scope.js';
import { hotPathOf, type HotPath } from './hot-path.js';
import { refreshTokenRow } from './refresh-tokens.repository.js';
import type { AuthorizationCodeTable, Database } from './schema.js';

/** Authorization codes, stored under the SHA-256 of the code; the code itself is never stored. */
export class AuthorizationCodeRepository implements Port {
  private readonly hot: HotPath;

  constructor(db: Kysely<Database>) {
    this.hot = hotPathOf(db);
  }

  async insert(record: Omit<AuthorizationCodeRecord, 'consumedAt' | 'accessTokenJti'>): Promise<void> {
    await this.hot.write('insertCode', {
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
    });
  }

  async findByHash(codeHash: string): Promise<AuthorizationCodeRecord | undefined> {
    const row = await this.hot.get<Selectable<AuthorizationCodeTable>>(
      'SELECT * FROM authorization_codes WHERE code_hash = ?',
      [codeHash],
    );
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
    return this.hot.write('consumeCode', {
      codeHash,
      now,
      jti: accessTokenJti,
      refresh: firstRefreshToken ? refreshTokenRow(firstRefreshToken) : null,
    });
  }
}
