import type { Kysely, Selectable } from 'kysely';
import type { Client, ConsentMode, IdTokenSigningAlg, Platform, ResourceType } from '../protocol/model.js';
import type { ClientTable, Database } from './schema.js';
import { cannotBeStored } from './lookup-key.js';

export class ClientRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(client: Client, now: number): Promise<void> {
    await this.db
      .insertInto('clients')
      .values({
        client_id: client.clientId,
        tenant_id: client.tenantId,
        name: client.name,
        platform: client.platform,
        resource_type: client.resourceType,
        redirect_uris: JSON.stringify(client.redirectUris),
        scopes: JSON.stringify(client.scopes),
        consent_mode: client.consentMode,
        secret_hash: client.secretHash,
        disabled: client.disabled ? 1 : 0,
        created_at: now,
        refresh_tokens: client.refreshTokens.enabled ? 1 : 0,
        refresh_absolute_ttl_seconds: client.refreshTokens.absoluteTtlSeconds,
        refresh_idle_ttl_seconds: client.refreshTokens.idleTtlSeconds,
        refresh_grace_seconds: client.refreshTokens.graceSeconds,
        post_logout_redirect_uris: JSON.stringify(client.postLogoutRedirectUris),
        id_token_signing_alg: client.idTokenSigningAlg,
      })
      .execute();
  }

  /** Disabled clients are returned too (with `disabled: true`): callers decide what that means. */
  async findById(clientId: string): Promise<Client | undefined> {
    if (cannotBeStored(clientId, 64)) return undefined;
    const row = await this.db.selectFrom('clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row && toClient(row);
  }

  async setDisabled(clientId: string, disabled: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('clients')
      .set({ disabled: disabled ? 1 : 0 })
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async listByTenant(tenantId: string): Promise<Client[]> {
    const rows = await this.db
      .selectFrom('clients')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('disabled', '=', 0)
      .execute();
    return rows.map(toClient);
  }
}

function toClient(row: Selectable<ClientTable>): Client {
  return {
    clientId: row.client_id,
    tenantId: row.tenant_id,
    name: row.name,
    platform: row.platform as Platform,
    resourceType: row.resource_type as ResourceType,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    scopes: JSON.parse(row.scopes) as string[],
    consentMode: row.consent_mode as ConsentMode,
    secretHash: row.secret_hash,
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    refreshTokens: {
      enabled: row.refresh_tokens !== 0,
      absoluteTtlSeconds: row.refresh_absolute_ttl_seconds,
      idleTtlSeconds: row.refresh_idle_ttl_seconds,
      graceSeconds: row.refresh_grace_seconds,
    },
    idTokenSigningAlg: row.id_token_signing_alg as IdTokenSigningAlg,
    disabled: row.disabled !== 0,
  };
}
