import type { Kysely } from 'kysely';
import type { TenantBranding } from '../protocol/branding.js';
import type { Client, Tenant } from '../protocol/model.js';
import { BrandingRepository } from './branding.repository.js';
import type { ChangeFeed } from './change-feed.js';
import { ClientRepository } from './clients.repository.js';
import type { Database } from './schema.js';
import { type ScopeDefinition, TenantRepository } from './tenants.repository.js';
import { VersionedCache } from './versioned-cache.js';

/**
 * Tenants (hence realms) and their scope catalogues from memory. Every other method, writes
 * included, is the plain repository's: the triggers of migration 0005 see the writes, whoever
 * makes them, and the change feed empties the cache.
 */
export class CachedTenantRepository extends TenantRepository {
  private readonly tenants: VersionedCache<Tenant | undefined>;
  private readonly scopes: VersionedCache<ScopeDefinition[]>;

  constructor(db: Kysely<Database>, changes: ChangeFeed) {
    super(db);
    this.tenants = new VersionedCache(changes);
    this.scopes = new VersionedCache(changes);
  }

  override findById(id: string): Promise<Tenant | undefined> {
    return this.tenants.get(id, () => super.findById(id));
  }

  override async listScopes(tenantId: string): Promise<ScopeDefinition[]> {
    return [...(await this.scopes.get(tenantId, () => super.listScopes(tenantId)))];
  }
}

/** Clients from memory, emptied on any change to a cached table (see CachedTenantRepository). */
export class CachedClientRepository extends ClientRepository {
  private readonly clients: VersionedCache<Client | undefined>;
  private readonly byTenant: VersionedCache<Client[]>;

  constructor(db: Kysely<Database>, changes: ChangeFeed) {
    super(db);
    this.clients = new VersionedCache(changes);
    this.byTenant = new VersionedCache(changes);
  }

  override findById(clientId: string): Promise<Client | undefined> {
    return this.clients.get(clientId, () => super.findById(clientId));
  }

  override async listByTenant(tenantId: string): Promise<Client[]> {
    return [...(await this.byTenant.get(tenantId, () => super.listByTenant(tenantId)))];
  }
}

/**
 * Each tenant's branding from memory (read by every sign-in and consent page); migration 0008
 * puts its table on the change feed.
 */
export class CachedBrandingRepository extends BrandingRepository {
  private readonly byTenant: VersionedCache<TenantBranding | undefined>;

  constructor(db: Kysely<Database>, changes: ChangeFeed) {
    super(db);
    this.byTenant = new VersionedCache(changes);
  }

  override async find(tenantId: string): Promise<TenantBranding | undefined> {
    const branding = await this.byTenant.get(tenantId, () => super.find(tenantId));
    return branding && { ...branding };
  }
}
