import type { HubMigration } from '#platform/migrate.ts'
import { createVersionCounter } from '#platform/version-counter.ts'

/** The tables whose rows the stock page shows or counts: its devices, their loans, and the libraries' names. */
const COUNTED = ['devices', 'device_allocations', 'locations']

/**
 * A counter that every write to the device stock moves, by triggers in the same transaction as the write:
 * the stock page keeps its figures (ready per library, loans overdue, the totals of each filter), its pages
 * and the libraries it names for one value of it, in each process, and reads them again after any change,
 * however it was made (a form, a job, SQL by hand). Reading it is one primary-key lookup per page.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await createVersionCounter(db, t, 'device_stock_version', COUNTED)
  },
}
