import type { Kysely, Migration } from 'kysely';
import { addChangeTriggers } from './0005-change-counter.js';

/**
 * Issue 8: every sign-in and consent page reads its tenant's branding (issue 11), which is now
 * cached in every instance like the tables of migration 0005; its writes bump the same change
 * counter (and NOTIFY on PostgreSQL), so a new logo or colour reaches every instance within 1 s.
 */
export const migration0008BrandingChanges: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await addChangeTriggers(db, 'tenant_branding');
  },
};
