import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres } from './0005-change-counter.js';

/**
 * Issue 8: every sign-in and consent page reads its tenant's branding (issue 11), which is now
 * cached in every instance like the tables of migration 0005; its writes bump the same change
 * counter (and NOTIFY on PostgreSQL), so a new logo or colour reaches every instance within 1 s.
 */
export const migration0008BrandingChanges: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (await isPostgres(db)) {
      await sql`CREATE TRIGGER gh_changes_tenant_branding AFTER INSERT OR UPDATE OR DELETE ON tenant_branding FOR EACH STATEMENT EXECUTE FUNCTION gh_bump_changes()`.execute(
        db,
      );
      return;
    }
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER gh_changes_tenant_branding_${event.toLowerCase()} AFTER ${event} ON tenant_branding BEGIN UPDATE gh_changes SET version = version + 1 WHERE id = 1; END`,
        )
        .execute(db);
    }
  },
};
