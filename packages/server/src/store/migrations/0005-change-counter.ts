import { sql, type Kysely, type Migration } from 'kysely';

/** The tables whose rows are cached in every instance (see store/change-feed.ts; migration 0008 adds tenant_branding). */
export const CACHED_TABLES = ['tenants', 'scopes', 'clients', 'signing_keys'] as const;

/**
 * A change counter for in-process caches: one row whose version every insert, update or delete
 * of a cached table bumps, by trigger, in the same transaction. The triggers need no
 * cooperation from the code that writes (admin API, CLI, another instance, a hand-run SQL
 * statement). On PostgreSQL they also NOTIFY, so instances hear of a change at once.
 */
export const migration0005ChangeCounter: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('gh_changes')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO gh_changes (id, version) VALUES (1, 0)`.execute(db);
    if (await isPostgres(db)) {
      await sql`CREATE FUNCTION gh_bump_changes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE gh_changes SET version = version + 1 WHERE id = 1;
          PERFORM pg_notify('gatehouse_changes', TG_TABLE_NAME);
          RETURN NULL;
        END $$`.execute(db);
    }
    for (const table of CACHED_TABLES) await addChangeTriggers(db, table);
  },
};

/** Puts `table` on the change counter: its writes bump `gh_changes` (and NOTIFY on PostgreSQL). */
export async function addChangeTriggers(db: Kysely<unknown>, table: string): Promise<void> {
  if (await isPostgres(db)) {
    await sql
      .raw(
        `CREATE TRIGGER gh_changes_${table} AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION gh_bump_changes()`,
      )
      .execute(db);
    return;
  }
  for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
    await sql
      .raw(
        `CREATE TRIGGER gh_changes_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN UPDATE gh_changes SET version = version + 1 WHERE id = 1; END`,
      )
      .execute(db);
  }
}

async function isPostgres(db: Kysely<unknown>): Promise<boolean> {
  try {
    await sql`SELECT current_setting('server_version_num')`.execute(db);
    return true;
  } catch {
    return false;
  }
}
