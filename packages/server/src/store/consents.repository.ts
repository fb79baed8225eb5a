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

  /** Withdraws the consent; true when there was one. */
  async revoke(userId: string, clientId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('consents')
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Every consent the person has given, with the client's name, oldest client id first. */
  async listByUser(
    userId: string,
  ): Promise<{ clientId: string; clientName: string; scopes: string[]; grantedAt: number }[]> {
    const rows = await this.db
      .selectFrom('consents')
      .innerJoin('clients', 'clients.client_id', 'consents.client_id')
      .select(['consents.client_id', 'clients.name', 'consents.scope', 'consents.updated_at'])
      .where('consents.user_id', '=', userId)
      .orderBy('consents.client_id')
      .execute();
    return rows.map((row) => ({
      clientId: row.client_id,
      clientName: row.name,
      scopes: parseScope(row.scope) ?? [],
      grantedAt: row.updated_at,
    }));
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
