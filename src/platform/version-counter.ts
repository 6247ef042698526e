import { sql } from 'kysely'
import type { ColumnTypes, HubMigration } from './migrate.ts'

/**
 * For a migration: makes `versionTable`, a counter of one row, and triggers that move it in the same transaction as any
 * write to `tables` (statement triggers on PostgreSQL, row triggers on SQLite), whoever makes the write.
 * The row is locked until the writing transaction commits; those transactions already queue on the audit
 * trail's head. A page kept per version of its data (versioned-cache.ts, page-cache.ts) reads it first.
 */
export async function createVersionCounter(
  db: Parameters<HubMigration['up']>[0],
  t: ColumnTypes,
  versionTable: string,
  tables: readonly string[],
): Promise<void> {
  await db.schema
    .createTable(versionTable)
    .addColumn('id', t.integer, (c) => c.primaryKey())
    .addColumn('version', t.bigint, (c) => c.notNull())
    .execute()
  await sql`insert into ${sql.table(versionTable)} (id, version) values (1, 1)`.execute(db)
  const bump = sql`update ${sql.table(versionTable)} set version = version + 1 where id = 1`
  if (t.dialect === 'postgres') {
    const fn = sql.raw(`bump_${versionTable}`)
    await sql`create function ${fn}() returns trigger language plpgsql as $$
      begin ${bump}; return null; end $$`.execute(db)
    for (const table of tables)
      await sql`create trigger ${sql.raw(`${table}_${versionTable}`)}
        after insert or update or delete or truncate on ${sql.table(table)}
        for each statement execute function ${fn}()`.execute(db)
    return
  }
  for (const table of tables)
    for (const event of ['insert', 'update', 'delete'])
      await sql`create trigger ${sql.raw(`${table}_${versionTable}_${event}`)}
        after ${sql.raw(event)} on ${sql.table(table)}
        begin ${bump}; end`.execute(db)
}
