import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Issue 8: a refresh rotation inserted into six B-trees (the table, its primary key and four
 * indexes); three of them (session, code, person + client) are only ever searched for the
 * *families* to revoke, and every token of a family carries the same values. They now index
 * only each family's first token (`created_at = family_created_at`, the row the code exchange
 * inserts), so a rotation writes three B-trees instead of six: half the WAL frames per commit.
 * Queries that look families up by these columns repeat the condition, which is what lets
 * SQLite and PostgreSQL use a partial index.
 */
export const FIRST_TOKEN_OF_FAMILY = 'created_at = family_created_at';

export const migration0007FamilyIndexes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const name of ['refresh_tokens_session_idx', 'refresh_tokens_code_idx', 'refresh_tokens_user_client_idx'])
      await db.schema.dropIndex(name).execute();
    const partial = (name: string, columns: string) =>
      sql`CREATE INDEX ${sql.id(name)} ON refresh_tokens (${sql.raw(columns)}) WHERE ${sql.raw(FIRST_TOKEN_OF_FAMILY)}`.execute(
        db,
      );
    await partial('refresh_families_session_idx', 'session_id');
    await partial('refresh_families_code_idx', 'code_hash');
    await partial('refresh_families_user_client_idx', 'user_id, client_id');
  },
};
