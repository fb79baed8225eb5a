import type { Kysely } from 'kysely';
import { parseScope } from '../protocol/scope.js';
import { hotPathOf, type HotPath } from './hot-path.js';
import type { Database } from './schema.js';

/** What each person has granted each client, so a returning person is not asked again. */
export class ConsentRepository {
  private readonly hot: HotPath;

  constructor(private readonly db: Kysely<Database>) {
    this.hot = hotPathOf(db);
  }

  async grantedScopes(userId: string, clientId: string): Promise<string[]> {
    const row = await this.hot.get<{ scope: string }>(
      'SELECT scope FROM consents WHERE user_id = ? AND client_id = ?',
      [userId, clientId],
    );
    return row ? (parseScope(row.scope) ?? []) : [];
  }

  /** Withdraws the consent; true when there was one. */
  async revoke(userId: string, clientId: string): Promise<boolean> {
    return this.hot.write('revokeConsent', { userId, clientId });
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
    await this.hot.write('grantConsent', {
      tenant_id: input.tenantId,
      realm_id: input.realmId,
      user_id: input.userId,
      client_id: input.clientId,
      scope: input.scopes.join(' '),
      updated_at: now,
    });
  }
}
