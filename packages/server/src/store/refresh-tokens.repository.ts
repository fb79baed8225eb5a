import type { Kysely, Selectable } from 'kysely';
import type { RefreshFamilySelector, RefreshTokenRecord, RefreshTokenRepository as Port } from '../protocol/ports.js';
import { parseScope } from '../protocol/scope.js';
import { hotPathOf, type HotPath } from './hot-path.js';
import type { Database, RefreshTokenTable } from './schema.js';
import type { FamilySelectorArgs } from './sqlite/write-operations.js';

/**
 * Refresh tokens, stored under the SHA-256 of the token. Each code exchange starts a family;
 * every rotation adds a row and marks its predecessor rotated, in one transaction whose UPDATE
 * only matches a live row, so concurrent rotations of one token cannot both succeed.
 */
export class RefreshTokenRepository implements Port {
  private readonly hot: HotPath;

  constructor(db: Kysely<Database>) {
    this.hot = hotPathOf(db);
  }

  async insert(record: RefreshTokenRecord): Promise<void> {
    await this.hot.write('insertRefreshToken', refreshTokenRow(record));
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.hot.get<Selectable<RefreshTokenTable>>('SELECT * FROM refresh_tokens WHERE token_hash = ?', [
      tokenHash,
    ]);
    return row && toRecord(row);
  }

  async rotate(
    previousHash: string,
    now: number,
    successorSealed: string | null,
    successor: RefreshTokenRecord,
  ): Promise<boolean> {
    return this.hot.write('rotateRefreshToken', {
      previousHash,
      now,
      sealed: successorSealed,
      successor: refreshTokenRow(successor),
    });
  }

  /**
   * Revokes whole families and, in the same transaction, deny-lists the access tokens issued with
   * them that have not expired yet, so introspection and userinfo refuse them at once.
   */
  async revokeFamilies(selector: RefreshFamilySelector, now: number): Promise<number> {
    return this.hot.write('revokeFamilies', { selector: selectorArgs(selector), now });
  }
}

function selectorArgs(selector: RefreshFamilySelector): FamilySelectorArgs {
  if ('familyId' in selector) return { by: 'family', familyId: selector.familyId };
  if ('codeHash' in selector) return { by: 'code', codeHash: selector.codeHash };
  if ('sessionId' in selector) return { by: 'session', sessionId: selector.sessionId };
  return { by: 'user', userId: selector.userId, clientId: selector.clientId ?? null };
}

export function refreshTokenRow(record: RefreshTokenRecord): Selectable<RefreshTokenTable> {
  return {
    token_hash: record.tokenHash,
    family_id: record.familyId,
    realm_id: record.realmId,
    tenant_id: record.tenantId,
    client_id: record.clientId,
    user_id: record.userId,
    session_id: record.sessionId,
    code_hash: record.codeHash,
    scope: record.scopes.join(' '),
    auth_time: record.authTime,
    family_created_at: record.familyCreatedAt,
    family_expires_at: record.familyExpiresAt,
    idle_expires_at: record.idleExpiresAt,
    created_at: record.createdAt,
    rotated_at: record.rotatedAt,
    revoked_at: record.revokedAt,
    access_token_jti: record.accessTokenJti,
    access_token_expires_at: record.accessTokenExpiresAt,
    successor_sealed: record.successorSealed,
  };
}

function toRecord(row: Selectable<RefreshTokenTable>): RefreshTokenRecord {
  return {
    tokenHash: row.token_hash,
    familyId: row.family_id,
    realmId: row.realm_id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    userId: row.user_id,
    sessionId: row.session_id,
    codeHash: row.code_hash,
    scopes: parseScope(row.scope) ?? [],
    authTime: row.auth_time,
    familyCreatedAt: row.family_created_at,
    familyExpiresAt: row.family_expires_at,
    idleExpiresAt: row.idle_expires_at,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
    revokedAt: row.revoked_at,
    accessTokenJti: row.access_token_jti,
    accessTokenExpiresAt: row.access_token_expires_at,
    successorSealed: row.successor_sealed,
  };
}
