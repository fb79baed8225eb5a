import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface SigningKeyRecord {
  readonly kid: string;
  readonly tenantId: string;
  readonly alg: string;
  readonly publicJwk: Record<string, unknown>;
  readonly privateJwk: Record<string, unknown>;
  readonly createdAt: number;
  readonly retireAt: number | null;
}

export class SigningKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Adds a key that signs from now on; keys of its algorithm it replaces get `retireAt` (they
   * stay published until then so tokens they signed keep verifying). One transaction: never two
   * active keys of one algorithm.
   */
  async rotate(key: Omit<SigningKeyRecord, 'retireAt'>, retireOthersAt: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('signing_keys')
        .set({ retire_at: retireOthersAt })
        .where('tenant_id', '=', key.tenantId)
        .where('alg', '=', key.alg)
        .where('retire_at', 'is', null)
        .execute();
      await trx
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          tenant_id: key.tenantId,
          alg: key.alg,
          public_jwk: JSON.stringify(key.publicJwk),
          private_jwk: JSON.stringify(key.privateJwk),
          created_at: key.createdAt,
          retire_at: null,
        })
        .execute();
    });
  }

  /** The signing key of `alg`: the newest key of that algorithm not scheduled to retire. */
  async findActive(tenantId: string, alg = 'ES256'): Promise<SigningKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('alg', '=', alg)
      .where('retire_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Every stored key of every tenant, retired ones included. */
  async listStored(): Promise<SigningKeyRecord[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().orderBy('created_at').execute();
    return rows.map(toRecord);
  }

  /** Replaces the stored private parts of keys (sealing, re-sealing), all or none. */
  async replacePrivateKeys(updates: readonly { kid: string; privateJwk: Record<string, unknown> }[]): Promise<void> {
    if (updates.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const update of updates)
        await trx
          .updateTable('signing_keys')
          .set({ private_jwk: JSON.stringify(update.privateJwk) })
          .where('kid', '=', update.kid)
          .execute();
    });
  }

  /** Every key of the tenant, newest first, without private parts (for administrators). */
  async listAll(tenantId: string): Promise<{ kid: string; alg: string; createdAt: number; retireAt: number | null }[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .select(['kid', 'alg', 'created_at', 'retire_at'])
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((row) => ({ kid: row.kid, alg: row.alg, createdAt: row.created_at, retireAt: row.retire_at }));
  }

  /** Keys to publish: the active one and those whose tokens may still be alive. */
  async listPublished(tenantId: string, now: number): Promise<SigningKeyRecord[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('retire_at', 'is', null), eb('retire_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toRecord);
  }
}

function toRecord(row: {
  kid: string;
  tenant_id: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  retire_at: number | null;
}): SigningKeyRecord {
  return {
    kid: row.kid,
    tenantId: row.tenant_id,
    alg: row.alg,
    publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
    privateJwk: JSON.parse(row.private_jwk) as Record<string, unknown>,
    createdAt: row.created_at,
    retireAt: row.retire_at,
  };
}
