import type { Kysely, Selectable } from 'kysely';
import type {
  Client,
  ConsentMode,
  IdTokenSigningAlg,
  Platform,
  RefreshTokenPolicy,
  ResourceType,
} from '../protocol/model.js';
import { cannotBeStored } from './lookup-key.js';
import { containsIgnoringCase, toPage, type Page, type PageRequest } from './paging.js';
import type { ClientTable, Database } from './schema.js';
import { denyListLiveAccessTokens, familiesOf } from './transaction.js';

export interface ClientRecord extends Client {
  readonly createdAt: number;
}

/** What an administrator may change on a client (undefined = unchanged). */
export interface ClientChanges {
  readonly name?: string;
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly scopes?: readonly string[];
  readonly consentMode?: ConsentMode;
  readonly refreshTokens?: RefreshTokenPolicy;
  readonly disabled?: boolean;
}

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

/** Admin views: disabled clients included, with their creation time. */
export class ClientAdminQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async listPage(tenantId: string, page: PageRequest): Promise<Page<ClientRecord>> {
    let query = this.db.selectFrom('clients').selectAll().where('tenant_id', '=', tenantId);
    if (page.q) query = query.where(containsIgnoringCase(['name', 'client_id'], page.q));
    if (page.after !== undefined) query = query.where('client_id', '>', page.after);
    const rows = await query
      .orderBy('client_id')
      .limit(page.limit + 1)
      .execute();
    const result = toPage(rows, page.limit, (row) => row.client_id);
    return { items: result.items.map(toRecord), nextAfter: result.nextAfter };
  }

  async find(tenantId: string, clientId: string): Promise<ClientRecord | undefined> {
    const row = await this.db
      .selectFrom('clients')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async update(clientId: string, changes: ClientChanges): Promise<void> {
    const policy = changes.refreshTokens;
    await this.db
      .updateTable('clients')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.redirectUris ? { redirect_uris: JSON.stringify(changes.redirectUris) } : {}),
        ...(changes.postLogoutRedirectUris
          ? { post_logout_redirect_uris: JSON.stringify(changes.postLogoutRedirectUris) }
          : {}),
        ...(changes.scopes ? { scopes: JSON.stringify(changes.scopes) } : {}),
        ...(changes.consentMode ? { consent_mode: changes.consentMode } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled ? 1 : 0 } : {}),
        ...(policy
          ? {
              refresh_tokens: policy.enabled ? 1 : 0,
              refresh_absolute_ttl_seconds: policy.absoluteTtlSeconds,
              refresh_idle_ttl_seconds: policy.idleTtlSeconds,
              refresh_grace_seconds: policy.graceSeconds,
            }
          : {}),
      })
      .where('client_id', '=', clientId)
      .execute();
  }

  /** A new secret; the old one keeps authenticating until `previousExpiresAt` (0 overlap: never). */
  async replaceSecret(clientId: string, secretHash: string, previousExpiresAt: number | null): Promise<void> {
    await this.db
      .updateTable('clients')
      .set((eb) => ({
        previous_secret_hash: previousExpiresAt === null ? null : eb.ref('secret_hash'),
        previous_secret_expires_at: previousExpiresAt,
        secret_hash: secretHash,
      }))
      .where('client_id', '=', clientId)
      .execute();
  }

  /** Deletes the client with its codes, consents and refresh tokens (call inside a transaction). */
  async delete(clientId: string, now: number): Promise<void> {
    await denyListLiveAccessTokens(this.db, 'client_id', clientId, now);
    await this.db
      .deleteFrom('refresh_tokens')
      .where('family_id', 'in', familiesOf(this.db, 'client_id', clientId))
      .execute();
    for (const table of ['authorization_codes', 'consents', 'pending_authorizations'] as const)
      await this.db.deleteFrom(table).where('client_id', '=', clientId).execute();
    await this.db.deleteFrom('clients').where('client_id', '=', clientId).execute();
  }

  /** Clients of the tenant that hold `scope` (their scope lists are JSON arrays). */
  async holdersOfScope(tenantId: string, scope: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('clients')
      .select(['client_id', 'scopes'])
      .where('tenant_id', '=', tenantId)
      .execute();
    return rows.filter((row) => (JSON.parse(row.scopes) as string[]).includes(scope)).map((row) => row.client_id);
  }
}

function toRecord(row: Selectable<ClientTable>): ClientRecord {
  return { ...toClient(row), createdAt: row.created_at };
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
    ...(row.previous_secret_hash !== null && row.previous_secret_expires_at !== null
      ? { previousSecret: { hash: row.previous_secret_hash, expiresAt: row.previous_secret_expires_at } }
      : {}),
  };
}
