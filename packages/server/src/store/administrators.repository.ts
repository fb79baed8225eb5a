import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type AdminRole = 'operator' | 'tenant-admin';

/** What an administrator or API key may touch: every tenant, or the listed ones. */
export interface AdminGrant {
  readonly role: AdminRole;
  /** For `tenant-admin`: the tenants administered; empty for `operator`. */
  readonly tenants: readonly string[];
}

export interface AdministratorRecord extends AdminGrant {
  readonly userId: string;
  readonly createdAt: number;
}

export interface ApiKeyRecord extends AdminGrant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** Roles of the people of the GATEHOUSE-U realm; a person without a row is no administrator. */
export class AdministratorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(record: AdministratorRecord): Promise<void> {
    const tenants = JSON.stringify(record.tenants);
    await this.db
      .insertInto('administrators')
      .values({ user_id: record.userId, role: record.role, tenants, created_at: record.createdAt })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ role: record.role, tenants }))
      .execute();
  }

  async find(userId: string): Promise<AdministratorRecord | undefined> {
    const row = await this.db.selectFrom('administrators').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return (
      row && {
        userId: row.user_id,
        role: row.role as AdminRole,
        tenants: JSON.parse(row.tenants) as string[],
        createdAt: row.created_at,
      }
    );
  }

  /** Every administrator with their username (GATEHOUSE-U realm), by username. */
  async list(): Promise<(AdministratorRecord & { username: string; disabled: boolean })[]> {
    const rows = await this.db
      .selectFrom('administrators')
      .innerJoin('users', 'users.id', 'administrators.user_id')
      .select([
        'administrators.user_id',
        'administrators.role',
        'administrators.tenants',
        'administrators.created_at',
        'users.username',
        'users.disabled',
      ])
      .orderBy('users.username')
      .execute();
    return rows.map((row) => ({
      userId: row.user_id,
      role: row.role as AdminRole,
      tenants: JSON.parse(row.tenants) as string[],
      createdAt: row.created_at,
      username: row.username,
      disabled: row.disabled !== 0,
    }));
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('administrators')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** API keys for automation: only the SHA-256 of each key is stored. */
export class ApiKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: ApiKeyRecord, keyHash: string): Promise<void> {
    await this.db
      .insertInto('admin_api_keys')
      .values({
        id: record.id,
        name: record.name,
        key_hash: keyHash,
        role: record.role,
        tenants: JSON.stringify(record.tenants),
        created_at: record.createdAt,
        revoked_at: null,
      })
      .execute();
  }

  /** The live key with this hash, or undefined (unknown or revoked). */
  async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('admin_api_keys')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row && toApiKey(row);
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('admin_api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApiKey(row);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.db.selectFrom('admin_api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toApiKey);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('admin_api_keys')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}

function toApiKey(row: {
  id: string;
  name: string;
  role: string;
  tenants: string;
  created_at: number;
  revoked_at: number | null;
}): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as AdminRole,
    tenants: JSON.parse(row.tenants) as string[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
