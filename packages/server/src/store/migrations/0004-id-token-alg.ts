import type { Kysely, Migration } from 'kysely';

/**
 * Issue 12, found 7: each client's ID Token algorithm. Existing clients get RS256, the default
 * OpenID Connect Dynamic Client Registration 1.0 §2 gives a client that names none.
 */
export const migration0004IdTokenAlg: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('clients')
      .addColumn('id_token_signing_alg', 'varchar(16)', (c) => c.notNull().defaultTo('RS256'))
      .execute();
  },
};
