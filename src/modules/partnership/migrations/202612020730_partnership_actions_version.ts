import type { HubMigration } from '#platform/migrate.ts'
import { createVersionCounter } from '#platform/version-counter.ts'

/** The tables an open-actions list is read from: the actions, their owners, their meetings' titles. */
const TABLES = ['partnership_actions', 'action_owners', 'partnership_meetings']

/**
 * A counter that moves whenever an action, an owner or a meeting changes. Each process keeps the open-actions
 * lists it has read for the counter they were read at (open-actions.service.ts) and reads them again once it
 * has moved. Triggers bump it in the same transaction as the write, so no write path (a form, the reminder
 * job, an erasure, a hand-made SQL fix) can forget to. One row, locked until the writing transaction commits:
 * writes to actions queue, and they are a few a day.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await createVersionCounter(db, t, 'partnership_actions_version', TABLES)
  },
}
