import type { HubMigration } from '#platform/migrate.ts'

/**
 * A device's allocations, newest first (its page and every step's form show them): read from this index,
 * not a scan of every loan there has been. The unique index on open allocations covers only the open one.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema
      .createIndex('device_allocations_device')
      .on('device_allocations')
      .columns(['device_id', 'allocated_at'])
      .execute()
  },
}
