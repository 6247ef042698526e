import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

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
    await db.schema
      .createTable('partnership_actions_version')
      .addColumn('id', t.integer, (c) => c.primaryKey())
      .addColumn('version', t.bigint, (c) => c.notNull())
      .execute()
    await db.insertInto('partnership_actions_version').values({ id: 1, version: 1 }).execute()
    if (t.dialect === 'postgres') {
      await sql`create function bump_partnership_actions_version() returns trigger language plpgsql as $$
        begin update partnership_actions_version set version = version + 1 where id = 1; return null; end $$`.execute(
        db,
      )
      for (const table of TABLES)
        await sql`create trigger ${sql.raw(`${table}_actions_version`)}
          after insert or update or delete or truncate on ${sql.table(table)}
          for each statement execute function bump_partnership_actions_version()`.execute(db)
      return
    }
    for (const table of TABLES)
      for (const event of ['insert', 'update', 'delete'])
        await sql`create trigger ${sql.raw(`${table}_actions_version_${event}`)}
          after ${sql.raw(event)} on ${sql.table(table)}
          begin update partnership_actions_version set version = version + 1 where id = 1; end`.execute(db)
  },
}
