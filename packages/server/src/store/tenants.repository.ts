import type { Kysely } from 'kysely';
import type { Tenant } from '../protocol/model.js';
import { containsIgnoringCase, toPage, type Page, type PageRequest } from './paging.js';
import type { Database } from './schema.js';
import { cannotBeStored } from './lookup-key.js';

export interface TenantRecord extends Tenant {
  readonly createdAt: number;
}

export interface ScopeRecord extends ScopeDefinition {
  readonly createdAt: number;
}

/** Tables whose rows belong to one tenant (tenant_id), deleted with it by a cascade. */
const TENANT_TABLES = [
  'refresh_tokens',
  'authorization_codes',
  'consents',
  'pending_authorizations',
  'sessions',
  'users',
  'clients',
  'scopes',
  'signing_keys',
  'tenant_branding',
] as const;

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

  /** Tenants in id order, optionally filtered by id or name; `exclude` hides reserved ones. */
  async listPage(
    page: PageRequest,
    options: { only?: readonly string[]; exclude?: string } = {},
  ): Promise<Page<TenantRecord>> {
    let query = this.db.selectFrom('tenants').selectAll();
    if (options.only !== undefined) {
      if (options.only.length === 0) return { items: [], nextAfter: null };
      query = query.where('id', 'in', [...options.only]);
    }
    if (options.exclude !== undefined) query = query.where('id', '!=', options.exclude);
    if (page.q) query = query.where(containsIgnoringCase(['id', 'name'], page.q));
    if (page.after !== undefined) query = query.where('id', '>', page.after);
    const rows = await query
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const result = toPage(rows, page.limit, (row) => row.id);
    return {
      items: result.items.map((row) => ({
        id: row.id,
        name: row.name,
        apiDomain: row.api_domain,
        createdAt: row.created_at,
      })),
      nextAfter: result.nextAfter,
    };
  }

  async findRecord(id: string): Promise<TenantRecord | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, name: row.name, apiDomain: row.api_domain, createdAt: row.created_at };
  }

  async update(id: string, changes: { name?: string; apiDomain?: string }): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.apiDomain !== undefined ? { api_domain: changes.apiDomain } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** How many clients and people the tenant holds: a tenant is deleted only when both are 0. */
  async countContents(id: string): Promise<{ clients: number; users: number }> {
    const count = async (table: 'clients' | 'users'): Promise<number> => {
      const row = await this.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', id)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    return { clients: await count('clients'), users: await count('users') };
  }

  /** Deletes the tenant and everything that belongs to it (call inside a transaction). */
  async deleteCascade(id: string): Promise<void> {
    for (const table of TENANT_TABLES) await this.db.deleteFrom(table).where('tenant_id', '=', id).execute();
    for (const realm of [`${id}-U`, `${id}-C`]) {
      await this.db.deleteFrom('login_failures').where('realm_id', '=', realm).execute();
      await this.db.deleteFrom('revoked_access_tokens').where('realm_id', '=', realm).execute();
    }
    await this.db.deleteFrom('tenants').where('id', '=', id).execute();
  }

  async listScopesPage(tenantId: string, page: PageRequest): Promise<Page<ScopeRecord>> {
    let query = this.db.selectFrom('scopes').selectAll().where('tenant_id', '=', tenantId);
    if (page.q) query = query.where(containsIgnoringCase(['name', 'description'], page.q));
    if (page.after !== undefined) query = query.where('name', '>', page.after);
    const rows = await query
      .orderBy('name')
      .limit(page.limit + 1)
      .execute();
    const result = toPage(rows, page.limit, (row) => row.name);
    return {
      items: result.items.map((row) => ({ name: row.name, description: row.description, createdAt: row.created_at })),
      nextAfter: result.nextAfter,
    };
  }

  async findScope(tenantId: string, name: string): Promise<ScopeRecord | undefined> {
    const row = await this.db
      .selectFrom('scopes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && { name: row.name, description: row.description, createdAt: row.created_at };
  }

  async updateScope(tenantId: string, name: string, description: string): Promise<void> {
    await this.db
      .updateTable('scopes')
      .set({ description })
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .execute();
  }

  async deleteScope(tenantId: string, name: string): Promise<void> {
    await this.db.deleteFrom('scopes').where('tenant_id', '=', tenantId).where('name', '=', name).execute();
  }
}
