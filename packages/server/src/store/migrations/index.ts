import type { Migration, MigrationProvider } from 'kysely';
import { migration0001Initial } from './0001-initial.js';

/** Migrations in order. Each is written with Kysely's schema builder so it runs on both dialects. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': migration0001Initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
