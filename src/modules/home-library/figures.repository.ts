import { compiledOnce } from '#platform/compiled.ts'
import type { Executor } from '#platform/database.ts'
import { MEASURES } from './figures.ts'

declare module '#platform/database.ts' {
  interface Tables {
    /** One row, moved by triggers at every write to the figures' tables (migration 202612020810). */
    home_library_figures_version: { id: number; version: number }
  }
}

// Read on every view of the figures: compiled once (see compiledOnce).
const versionRows = compiledOnce((db: Executor) =>
  db.selectFrom('home_library_figures_version').select('version').where('id', '=', 1),
)

/**
 * The service's figures, read from counts kept per month in the transactions that change them: visits,
 * items by format, digital help, joiners, leavers by reason, people first visited in their year and how
 * the active count moved (a year is a few hundred rows). The page costs the same with 500 visits or
 * 500,000; the SQL is the same on both databases. Boroughs are always named, so the indexes that start
 * with the borough are searched rather than scanned.
 */
export const figuresRepository = {
  /** The figures' data version: any write to the tables below moves it, in the same transaction. */
  async version(db: Executor): Promise<number> {
    const [row] = await versionRows(db)
    if (!row) throw new Error('home_library_figures_version has no row')
    return Number(row.version)
  },

  /**
   * Active members on `day`, per borough: how the count moved in the months before, plus the changes of
   * the month up to that day.
   */
  async activeOn(db: Executor, boroughIds: readonly string[], day: string) {
    if (!boroughIds.length) return []
    const month = day.slice(0, 7)
    const [before, thisMonth] = await Promise.all([
      db
        .selectFrom('home_library_monthly_counts')
        .select(['borough_id', (eb) => eb.fn.sum<number>('n').as('n')])
        .where('measure', '=', MEASURES.active)
        .where('borough_id', 'in', boroughIds)
        .where('month', '<', month)
        .groupBy('borough_id')
        .execute(),
      db
        .selectFrom('home_library_member_changes')
        .select(['borough_id', (eb) => eb.fn.sum<number>('active_delta').as('n')])
        .where('borough_id', 'in', boroughIds)
        .where('changed_on', '>=', `${month}-01`)
        .where('changed_on', '<=', day)
        .groupBy('borough_id')
        .execute(),
    ])
    const counts = new Map<string, number>()
    for (const r of [...before, ...thisMonth])
      counts.set(r.borough_id, (counts.get(r.borough_id) ?? 0) + Number(r.n ?? 0))
    return [...counts].map(([boroughId, count]) => ({ boroughId, count }))
  },

  /** The monthly counts of a year. */
  async countsByMonth(db: Executor, boroughIds: readonly string[], year: number) {
    if (!boroughIds.length) return []
    const rows = await db
      .selectFrom('home_library_monthly_counts')
      .select(['borough_id', 'month', 'measure', 'n'])
      .where('borough_id', 'in', boroughIds)
      .where('month', '>=', `${year}-01`)
      .where('month', '<=', `${year}-12`)
      .execute()
    return rows.map((r) => ({ ...r, n: Number(r.n) }))
  },
}
