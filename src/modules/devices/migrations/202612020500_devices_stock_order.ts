import type { HubMigration } from '#platform/migrate.ts'

/**
 * The stock list, newest change first, filtered by type and state (and library, or not): each filter reads
 * its page from an index already in that order and stops at the page's end, rather than sorting every
 * matching device on each request. The borough comes first, as every list is in the caller's boroughs.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema
      .createIndex('devices_stock_by_library')
      .on('devices')
      .columns(['borough_id', 'library_id', 'kind', 'status', 'updated_at', 'id'])
      .execute()
    await db.schema
      .createIndex('devices_stock_by_kind')
      .on('devices')
      .columns(['borough_id', 'kind', 'status', 'updated_at', 'id'])
      .execute()
    await db.schema
      .createIndex('devices_stock_by_status')
      .on('devices')
      .columns(['borough_id', 'status', 'updated_at', 'id'])
      .execute()
  },
}
