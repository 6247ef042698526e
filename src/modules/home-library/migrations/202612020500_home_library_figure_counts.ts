import { sql } from 'kysely'
import { newId } from '#platform/ids.ts'
import type { HubMigration } from '#platform/migrate.ts'

/**
 * Every figure from the monthly counts: joiners, leavers by reason and how the active count moved join
 * them (counted from the changes kept so far), and so do the people visited, each in the month of their
 * first visit of the year (a year's months add up to the different people). Active on a date is then the
 * months before it plus a few days of changes. The items still out get an index of their own for the
 * round sheet.
 */
export const migration: HubMigration = {
  async up(db) {
    const sums = new Map<
      string,
      { id: string; borough_id: string; month: string; measure: string; n: number }
    >()
    const add = (boroughId: string, month: string, measure: string, n: number) => {
      if (!n) return
      const key = `${boroughId}|${month}|${measure}`
      const row = sums.get(key) ?? { id: newId(), borough_id: boroughId, month, measure, n: 0 }
      row.n += n
      sums.set(key, row)
    }

    const changes = await db
      .selectFrom('home_library_member_changes')
      .select([
        'borough_id',
        sql<string>`cast(changed_on as text)`.as('day'),
        'status',
        'reason',
        'is_joining',
        'active_delta',
      ])
      .execute()
    for (const c of changes) {
      const month = c.day.slice(0, 7)
      add(c.borough_id, month, 'active-change', Number(c.active_delta))
      if (c.is_joining) add(c.borough_id, month, 'joined', 1)
      if (c.status === 'left' && c.reason) add(c.borough_id, month, `left:${c.reason}`, 1)
    }

    const firstVisits = await db
      .selectFrom('home_library_visits as v')
      .innerJoin('home_library_members as m', 'm.id', 'v.member_id')
      .select(['m.person_id', 'v.borough_id', sql<string>`min(cast(v.due_on as text))`.as('day')])
      .where('v.status', '=', 'done')
      .groupBy(['m.person_id', 'v.borough_id', sql`substr(cast(v.due_on as text), 1, 4)`])
      .execute()
    const firstMonth = new Map(
      firstVisits.map((f) => [`${f.day.slice(0, 4)}|${f.borough_id}|${f.person_id}`, f.day.slice(0, 7)]),
    )
    const people = await db
      .selectFrom('home_library_visited_years')
      .select(['year', 'borough_id', 'person_id'])
      .distinct()
      .execute()
    for (const p of people) {
      const month = firstMonth.get(`${p.year}|${p.borough_id}|${p.person_id}`) ?? `${p.year}-01`
      add(p.borough_id, month, 'people-first-visited', 1)
    }

    const rows = [...sums.values()]
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('home_library_monthly_counts')
        .values(rows.slice(i, i + 500))
        .execute()

    await db.schema
      .createIndex('home_library_monthly_counts_measure')
      .on('home_library_monthly_counts')
      .columns(['measure', 'borough_id', 'month', 'n'])
      .execute()
    await db.schema
      .createIndex('home_library_items_out')
      .on('home_library_items')
      .columns(['member_id', 'delivered_on'])
      .where(sql.ref('collected_on'), 'is', null)
      .execute()
  },
}
