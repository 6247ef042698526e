import type { HubMigration } from '#platform/migrate.ts'
import { createVersionCounter } from '#platform/version-counter.ts'

/**
 * A counter of the figures' data, moved by triggers at any write to the tables they are read from, so
 * each process computes a set of figures once per value (versioned-cache.ts) and any process's next
 * request after a change sees it.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await createVersionCounter(db, t, 'home_library_figures_version', [
      'home_library_monthly_counts',
      'home_library_member_changes',
    ])
  },
}
