import type { Kysely } from 'kysely';
import type { Tenant } from '../protocol/model.js';
import type { Database } from './schema.js';
import { cannotBeStored } from './lookup-key.js';

export interface ScopeDefinition {
  readonly name: string;
  readonly description: string;
}

export class TenantRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tenant: Tenant, now: number): Promise<void> {
    await this.db
      .insertInto('tenants')
      .values({ id: tenant.id, name: tenant.name, api_domain: tenant.apiDomain, created_at: now })
      .execute();
  }

  async findById(id: string): Promise<Tenant | undefined> {
    if (cannotBeStored(id, 64)) return undefined;
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, name: row.name, apiDomain: row.api_domain };
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, apiDomain: row.api_domain }));
  }

  async insertScope(tenantId: string, scope: ScopeDefinition, now: number): Promise<void> {
    await this.db
      .insertInto('scopes')
      .values({ tenant_id: tenantId, name: scope.name, description: scope.description, created_at: now })
      .execute();
  }

  async listScopes(tenantId: string): Promise<ScopeDefinition[]> {
    return this.db
      .selectFrom('scopes')
      .select(['name', 'description'])
      .where('tenant_id', '=', tenantId)
      .orderBy('name')
      .execute();
  }
}
