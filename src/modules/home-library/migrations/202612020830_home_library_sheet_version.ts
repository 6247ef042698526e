import type { HubMigration } from '#platform/migrate.ts'
import { createVersionCounter } from '#platform/version-counter.ts'

/**
 * A counter of what a round sheet shows of its stops (their order, the members, their planned visits and
 * the items out with them), moved by triggers at any write to those tables, so each process reads a
 * round's stops once per value (round.service.ts). The round itself is read on every print.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await createVersionCounter(db, t, 'home_library_sheet_version', [
      'home_library_stops',
      'home_library_members',
      'home_library_visits',
      'home_library_items',
    ])
  },
}
