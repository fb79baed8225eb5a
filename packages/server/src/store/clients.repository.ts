import type { Kysely, Selectable } from 'kysely';
import type { Client, ConsentMode, Platform, ResourceType } from '../protocol/model.js';
import type { ClientTable, Database } from './schema.js';

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
        disabled: 0,
        created_at: now,
      })
      .execute();
  }

  /** Disabled clients are treated as unknown everywhere. */
  async findById(clientId: string): Promise<Client | undefined> {
    const row = await this.db.selectFrom('clients').selectAll().where('client_id', '=', clientId).where('disabled', '=', 0).executeTakeFirst();
    return row && toClient(row);
  }

  async listByTenant(tenantId: string): Promise<Client[]> {
    const rows = await this.db.selectFrom('clients').selectAll().where('tenant_id', '=', tenantId).where('disabled', '=', 0).execute();
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
  };
}
