import type { Kysely } from 'kysely';
import type { TenantBranding } from '../protocol/branding.js';
import type { Database } from './schema.js';

/** How each tenant's pages look (issue 11); a tenant without a row has the default look. */
export class BrandingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(tenantId: string): Promise<TenantBranding | undefined> {
    const row = await this.db
      .selectFrom('tenant_branding')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      ...(row.display_name ? { displayName: row.display_name } : {}),
      ...(row.logo_url ? { logoUrl: row.logo_url } : {}),
      ...(row.primary_color ? { primaryColor: row.primary_color } : {}),
    };
  }

  /** Replaces the tenant's branding in one upsert. */
  async save(tenantId: string, branding: TenantBranding, now: number): Promise<void> {
    const values = {
      display_name: branding.displayName ?? null,
      logo_url: branding.logoUrl ?? null,
      primary_color: branding.primaryColor ?? null,
      updated_at: now,
    };
    await this.db
      .insertInto('tenant_branding')
      .values({ tenant_id: tenantId, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }
}
