import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPostgresSchema, dropPostgresSchema, migrateToLatest, openDatabase } from '../../src/store/database.js';
import { POSTGRES_URL, testDialects } from '../support/harness.js';

// Only PostgreSQL has schemas; testDialects says so when it is not configured.
const dialects = testDialects('migrations ignore half-migrated schemas');

describe('migrations on PostgreSQL', () => {
  if (!dialects.includes('postgres')) {
    it('run on SQLite, which has no schemas to confuse them', async () => {
      const database = openDatabase(':memory:');
      await migrateToLatest(database.db);
      await database.close();
    });
    return;
  }

  it('create their tables in the connection schema even when another schema holds a stray kysely_migration_lock', async () => {
    const stale = `gh_test_stale_${randomBytes(4).toString('hex')}`;
    const fresh = `gh_test_${randomBytes(6).toString('hex')}`;
    await createPostgresSchema(POSTGRES_URL!, stale);
    await createPostgresSchema(POSTGRES_URL!, fresh);
    const strayHandle = openDatabase(POSTGRES_URL!, { schema: stale });
    const database = openDatabase(POSTGRES_URL!, { schema: fresh });
    try {
      // What a run killed between creating Kysely's two tables leaves behind.
      await strayHandle.db.schema.createTable('kysely_migration_lock').addColumn('id', 'text').execute();
      await migrateToLatest(database.db);
      const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true });
      expect(tables.filter((table) => table.schema === fresh).map((table) => table.name)).toEqual(
        expect.arrayContaining(['kysely_migration', 'kysely_migration_lock', 'tenants']),
      );
    } finally {
      await strayHandle.close();
      await database.close();
      await dropPostgresSchema(POSTGRES_URL!, stale);
      await dropPostgresSchema(POSTGRES_URL!, fresh);
    }
  });
});
