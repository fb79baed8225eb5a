import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { ConsentRow } from '../sqlite/write-operations.js';
import { inTransaction } from '../transaction.js';

/**
 * PostgreSQL: adds scopes to an earlier consent (never narrows it). Not on the hot path (only
 * the consent page grants), so a plain transaction; the row lock serialises concurrent grants.
 */
export class ConsentRepositoryTransaction {
  constructor(private readonly db: Kysely<Database>) {}

  async grant(row: ConsentRow): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const existing = await trx
        .selectFrom('consents')
        .select('scope')
        .where('user_id', '=', row.user_id)
        .where('client_id', '=', row.client_id)
        .forUpdate()
        .executeTakeFirst();
      const merged = [
        ...new Set([...(existing ? existing.scope.split(' ') : []), ...row.scope.split(' ')].filter((s) => s !== '')),
      ].join(' ');
      await trx
        .insertInto('consents')
        .values({ ...row, scope: merged })
        .onConflict((oc) =>
          oc.columns(['user_id', 'client_id']).doUpdateSet({ scope: merged, updated_at: row.updated_at }),
        )
        .execute();
    });
  }
}
