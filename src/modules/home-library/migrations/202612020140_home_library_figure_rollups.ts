import { sql } from 'kysely'
import { newId } from '#platform/ids.ts'
import type { HubMigration } from '#platform/migrate.ts'

/**
 * The figures page reads a few hundred rows, not the year's visits: counts kept per month (a year is 12 rows
 * per borough and measure) instead of per day; each change of status says how it moved the borough's active
 * count (+1, 0 or -1), so "active on a date" is one sum; and the people visited in a year are read from an
 * index alone.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'home_library_monthly_counts')
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('month', t.text, (c) => c.notNull())
      .addColumn('measure', t.text, (c) => c.notNull())
      .addColumn('n', t.integer, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_monthly_counts_key')
      .on('home_library_monthly_counts')
      .columns(['borough_id', 'month', 'measure'])
      .unique()
      .execute()
    const daily = await db
      .selectFrom('home_library_daily_counts')
      .select(['borough_id', 'measure', sql<string>`cast(day as text)`.as('day'), 'n'])
      .execute()
    const months = new Map<
      string,
      { id: string; borough_id: string; month: string; measure: string; n: number }
    >()
    for (const d of daily) {
      const key = `${d.borough_id}|${d.day.slice(0, 7)}|${d.measure}`
      const row = months.get(key) ?? {
        id: newId(),
        borough_id: d.borough_id,
        month: d.day.slice(0, 7),
        measure: d.measure,
        n: 0,
      }
      row.n += Number(d.n)
      months.set(key, row)
    }
    const rows = [...months.values()]
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('home_library_monthly_counts')
        .values(rows.slice(i, i + 500))
        .execute()
    await db.schema.dropTable('home_library_daily_counts').execute()

    await db.schema
      .alterTable('home_library_member_changes')
      .addColumn('active_delta', t.integer, (c) => c.notNull().defaultTo(0))
      .execute()
    const changes = await db
      .selectFrom('home_library_member_changes')
      .select(['id', 'member_id', 'status'])
      .orderBy('member_id')
      .orderBy('changed_on')
      .orderBy('created_at')
      .execute()
    let member = ''
    let wasActive = false
    for (const c of changes) {
      if (c.member_id !== member) [member, wasActive] = [c.member_id, false]
      const isActive = c.status === 'active'
      const delta = Number(isActive) - Number(wasActive)
      if (delta)
        await db
          .updateTable('home_library_member_changes')
          .set({ active_delta: delta })
          .where('id', '=', c.id)
          .execute()
      wasActive = isActive
    }
    // The active index starts with the borough and the day, so it serves the joiners and leavers too.
    await db.schema.dropIndex('home_library_member_changes_borough').execute()
    await db.schema
      .createIndex('home_library_member_changes_active')
      .on('home_library_member_changes')
      .columns(['borough_id', 'changed_on', 'active_delta'])
      .execute()

    await db.schema
      .createIndex('home_library_visited_years_people')
      .on('home_library_visited_years')
      .columns(['year', 'borough_id', 'person_id'])
      .execute()
  },
}
