import type { Kysely, Migration } from 'kysely';

/** Refresh tokens (rotation families), per-client lifecycle settings, password-change times. */
export const migration0002TokenLifecycle: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('refresh_tokens')
      .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('family_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('realm_id', 'varchar(80)', (c) => c.notNull())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('session_id', 'varchar(64)')
      .addColumn('code_hash', 'varchar(64)')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('family_created_at', 'bigint', (c) => c.notNull())
      .addColumn('family_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('idle_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('rotated_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('access_token_jti', 'varchar(64)')
      .addColumn('access_token_expires_at', 'bigint')
      .addColumn('successor_sealed', 'text')
      .execute();
    await db.schema.createIndex('refresh_tokens_family_idx').on('refresh_tokens').column('family_id').execute();
    await db.schema.createIndex('refresh_tokens_session_idx').on('refresh_tokens').column('session_id').execute();
    await db.schema.createIndex('refresh_tokens_code_idx').on('refresh_tokens').column('code_hash').execute();
    await db.schema
      .createIndex('refresh_tokens_user_client_idx')
      .on('refresh_tokens')
      .columns(['user_id', 'client_id'])
      .execute();

    await db.schema
      .alterTable('clients')
      .addColumn('refresh_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('clients')
      .addColumn('refresh_absolute_ttl_seconds', 'integer', (c) => c.notNull().defaultTo(604_800))
      .execute();
    await db.schema
      .alterTable('clients')
      .addColumn('refresh_idle_ttl_seconds', 'integer', (c) => c.notNull().defaultTo(86_400))
      .execute();
    await db.schema
      .alterTable('clients')
      .addColumn('refresh_grace_seconds', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('clients')
      .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .alterTable('users')
      .addColumn('password_changed_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
