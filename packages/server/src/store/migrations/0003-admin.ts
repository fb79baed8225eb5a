import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Administration (issue 9): the audit trail, administrators of the reserved GATEHOUSE tenant,
 * API keys for automation, deployment settings (the public URL the CLI prints), a client's
 * previous secret during a rotation overlap, and case-insensitive username look-ups.
 */
export const migration0003Admin: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('audit_events')
      // Time-ordered (epoch milliseconds in hex, then randomness): newest first is `id desc`.
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('tenant_id', 'varchar(64)')
      .addColumn('actor_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('actor_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('actor_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('target', 'varchar(400)')
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .addColumn('detail_json', 'text')
      .execute();
    await db.schema.createIndex('audit_events_tenant_idx').on('audit_events').columns(['tenant_id', 'id']).execute();
    await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute();

    await db.schema
      .createTable('administrators')
      .addColumn('user_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('tenants', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('admin_api_keys')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('tenants', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.alterTable('clients').addColumn('previous_secret_hash', 'text').execute();
    await db.schema.alterTable('clients').addColumn('previous_secret_expires_at', 'bigint').execute();

    // Sign-in and the uniqueness check look usernames up case-insensitively (issue 12 item 6).
    await db.schema
      .createIndex('users_username_ci_idx')
      .on('users')
      .columns(['tenant_id', 'actor'])
      .expression(sql`lower(username)`)
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('users_username_ci_idx').execute();
    await db.schema.alterTable('clients').dropColumn('previous_secret_expires_at').execute();
    await db.schema.alterTable('clients').dropColumn('previous_secret_hash').execute();
    for (const table of ['settings', 'admin_api_keys', 'administrators', 'audit_events'])
      await db.schema.dropTable(table).execute();
  },
};
