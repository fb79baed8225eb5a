import type { Kysely } from 'kysely';
import { parseScope } from '../protocol/scope.js';
import type { Database } from './schema.js';

/** What each person has granted each client, so a returning person is not asked again. */
export class ConsentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async grantedScopes(userId: string, clientId: string): Promise<string[]> {
    const row = await this.db
      .selectFrom('consents')
      .select('scope')
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row ? (parseScope(row.scope) ?? []) : [];
  }

  /** Every grant the person gave, newest first (the account page, issue 11). */
  async listByUser(userId: string): Promise<{ clientId: string; scopes: string[]; updatedAt: number }[]> {
    const rows = await this.db
      .selectFrom('consents')
      .select(['client_id', 'scope', 'updated_at'])
      .where('user_id', '=', userId)
      .orderBy('updated_at', 'desc')
      .orderBy('client_id')
      .execute();
    return rows.map((row) => ({
      clientId: row.client_id,
      scopes: parseScope(row.scope) ?? [],
      updatedAt: row.updated_at,
    }));
  }

  async revoke(userId: string, clientId: string): Promise<void> {
    await this.db.deleteFrom('consents').where('user_id', '=', userId).where('client_id', '=', clientId).execute();
  }

  /** Adds `scopes` to what the person has granted the client (never narrows an earlier grant). */
  async grant(
    input: { tenantId: string; realmId: string; userId: string; clientId: string; scopes: readonly string[] },
    now: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('consents')
        .select('scope')
        .where('user_id', '=', input.userId)
        .where('client_id', '=', input.clientId)
        .executeTakeFirst();
      const merged = [...new Set([...(existing ? existing.scope.split(' ') : []), ...input.scopes])].join(' ');
      // One upsert covers both the first grant and a concurrent first grant from another tab.
      await trx
        .insertInto('consents')
        .values({
          tenant_id: input.tenantId,
          realm_id: input.realmId,
          user_id: input.userId,
          client_id: input.clientId,
          scope: merged,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['user_id', 'client_id']).doUpdateSet({ scope: merged, updated_at: now }))
        .execute();
    });
  }
}
