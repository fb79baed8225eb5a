import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Deployment settings kept in the database, e.g. the public URL the CLI prints in metadata. */
export class SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(name: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  }

  async set(name: string, value: string, now: number): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ name, value, updated_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}
