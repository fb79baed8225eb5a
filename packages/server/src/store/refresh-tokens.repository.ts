import type { Kysely, Selectable, Transaction } from 'kysely';
import type { RefreshFamilySelector, RefreshTokenRecord, RefreshTokenRepository as Port } from '../protocol/ports.js';
import { parseScope } from '../protocol/scope.js';
import { inTransaction } from './transaction.js';
import type { Database, RefreshTokenTable } from './schema.js';

/**
 * Refresh tokens, stored under the SHA-256 of the token. Each code exchange starts a family;
 * every rotation adds a row and marks its predecessor rotated, in one transaction whose UPDATE
 * only matches a live row, so concurrent rotations of one token cannot both succeed.
 */
export class RefreshTokenRepository implements Port {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: RefreshTokenRecord): Promise<void> {
    await this.db.insertInto('refresh_tokens').values(toRow(record)).execute();
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async rotate(
    previousHash: string,
    now: number,
    successorSealed: string | null,
    successor: RefreshTokenRecord,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('refresh_tokens')
        .set({ rotated_at: now, successor_sealed: successorSealed })
        .where('token_hash', '=', previousHash)
        .where('rotated_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) return false;
      await trx.insertInto('refresh_tokens').values(toRow(successor)).execute();
      return true;
    });
  }

  /**
   * Revokes whole families and, in the same transaction, deny-lists the access tokens issued with
   * them that have not expired yet, so introspection and userinfo refuse them at once.
   */
  async revokeFamilies(selector: RefreshFamilySelector, now: number): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      const familyIds = await selectFamilies(trx, selector);
      if (familyIds.length === 0) return 0;
      await trx
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('family_id', 'in', familyIds)
        .where('revoked_at', 'is', null)
        .execute();
      const live = await trx
        .selectFrom('refresh_tokens')
        .select(['access_token_jti', 'access_token_expires_at', 'realm_id'])
        .where('family_id', 'in', familyIds)
        .where('access_token_jti', 'is not', null)
        .where('access_token_expires_at', '>', now)
        .execute();
      for (const row of live) {
        await trx
          .insertInto('revoked_access_tokens')
          .values({ jti: row.access_token_jti!, realm_id: row.realm_id, expires_at: row.access_token_expires_at! })
          .onConflict((oc) => oc.column('jti').doNothing())
          .execute();
      }
      return familyIds.length;
    });
  }
}

async function selectFamilies(trx: Transaction<Database>, selector: RefreshFamilySelector): Promise<string[]> {
  if ('familyId' in selector) return [selector.familyId];
  let query = trx.selectFrom('refresh_tokens').select('family_id').distinct();
  if ('codeHash' in selector) query = query.where('code_hash', '=', selector.codeHash);
  else if ('sessionId' in selector) query = query.where('session_id', '=', selector.sessionId);
  else {
    query = query.where('user_id', '=', selector.userId);
    if (selector.clientId !== undefined) query = query.where('client_id', '=', selector.clientId);
  }
  return (await query.execute()).map((row) => row.family_id);
}

function toRow(record: RefreshTokenRecord): Selectable<RefreshTokenTable> {
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
