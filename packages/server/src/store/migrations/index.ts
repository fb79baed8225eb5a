import type { Migration, MigrationProvider } from 'kysely';
import { migration0001Initial } from './0001-initial.js';
import { migration0002TokenLifecycle } from './0002-token-lifecycle.js';
import { migration0003Admin } from './0003-admin.js';
import { migration0004IdTokenAlg } from './0004-id-token-alg.js';
import { migration0005ChangeCounter } from './0005-change-counter.js';
import { migration0006PersonPages } from './0006-person-pages.js';
import { migration0007FamilyIndexes } from './0007-family-indexes.js';
import { migration0008BrandingChanges } from './0008-branding-changes.js';

/** Migrations in order. Each is written with Kysely's schema builder so it runs on both dialects. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': migration0001Initial,
  '0002-token-lifecycle': migration0002TokenLifecycle,
  '0003-admin': migration0003Admin,
  '0004-id-token-alg': migration0004IdTokenAlg,
  '0005-change-counter': migration0005ChangeCounter,
  '0006-person-pages': migration0006PersonPages,
  '0007-family-indexes': migration0007FamilyIndexes,
  '0008-branding-changes': migration0008BrandingChanges,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
