import type { Kysely, Migration } from 'kysely';

/**
 * Issue 11: per-tenant branding of the person's pages, and the sign-in hints of an authorization
 * request (`login_hint`, `ui_locales`, OIDC Core §3.1.2.1) kept with the pending request so the
 * login and consent pages, rendered later, can honour them.
 */
export const migration0006PersonPages: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('tenant_branding')
      .addColumn('tenant_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('display_name', 'varchar(120)')
      .addColumn('logo_url', 'varchar(2048)')
      .addColumn('primary_color', 'varchar(7)')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('pending_authorizations').addColumn('login_hint', 'varchar(255)').execute();
    await db.schema.alterTable('pending_authorizations').addColumn('ui_locales', 'varchar(255)').execute();
  },
};
