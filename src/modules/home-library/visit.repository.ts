import type { Executor, Tx } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { MEASURES } from './figures.ts'
import type { ItemTable, VisitTable } from './member.repository.ts'

/** Visits and the items they bring and take away. */
export const visitRepository = {
  /** Visits; one already there for a member and day is left as it is. */
  async insertVisits(db: Executor, rows: VisitTable[]): Promise<number> {
    let made = 0
    for (let i = 0; i < rows.length; i += 200) {
      const result = await db
        .insertInto('home_library_visits')
        .values(rows.slice(i, i + 200))
        .onConflict((oc) => oc.columns(['member_id', 'due_on']).doNothing())
        .executeTakeFirst()
      made += Number(result.numInsertedOrUpdatedRows ?? 0)
    }
    return made
  },

  find(db: Executor, id: string): Promise<VisitTable | undefined> {
    return db.selectFrom('home_library_visits').selectAll().where('id', '=', id).executeTakeFirst()
  },

  /** Claims a planned visit for recording: false when it was recorded by someone else meanwhile. */
  async record(tx: Tx, id: string, fields: Partial<Omit<VisitTable, 'id'>>): Promise<boolean> {
    const result = await tx
      .updateTable('home_library_visits')
      .set(fields)
      .where('id', '=', id)
      .where('status', '=', 'planned')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  /** Planned visits from `from` on are dropped (a member paused, left, or given a new schedule). */
  async deletePlannedFrom(tx: Tx, memberId: string, from: string, until?: string): Promise<void> {
    let q = tx
      .deleteFrom('home_library_visits')
      .where('member_id', '=', memberId)
      .where('status', '=', 'planned')
      .where('due_on', '>=', from)
    if (until) q = q.where('due_on', '<', until)
    await q.execute()
  },

  ofMember(db: Executor, memberId: string, limit = 20): Promise<VisitTable[]> {
    return db
      .selectFrom('home_library_visits')
      .selectAll()
      .where('member_id', '=', memberId)
      .orderBy('due_on', 'desc')
      .limit(limit)
      .execute()
  },

  /** Planned visits between two dates, with the member's name, for the coordinator's list. */
  planned(
    db: Executor,
    scope: readonly string[] | null,
    from: string,
    until: string,
  ): Promise<(VisitTable & { name: string })[]> {
    let q = db
      .selectFrom('home_library_visits as v')
      .innerJoin('home_library_members as m', 'm.id', 'v.member_id')
      .selectAll('v')
      .select('m.name')
      .where('v.status', '=', 'planned')
      .where('v.due_on', '>=', from)
      .where('v.due_on', '<=', until)
      .orderBy('v.due_on')
      .orderBy('m.name')
    if (scope) q = q.where('v.borough_id', 'in', scope.length ? scope : [''])
    return q.limit(500).execute()
  },

  async insertItems(db: Executor, rows: ItemTable[]): Promise<void> {
    if (rows.length) await db.insertInto('home_library_items').values(rows).execute()
  },

  /** Every title a member has had, the latest delivery of each first. */
  delivered(db: Executor, memberId: string): Promise<ItemTable[]> {
    return db
      .selectFrom('home_library_items')
      .selectAll()
      .where('member_id', '=', memberId)
      .orderBy('delivered_on', 'desc')
      .limit(1000)
      .execute()
  },

  /** Earlier deliveries of these titles to the member. */
  deliveredMatching(db: Executor, memberId: string, keys: readonly string[]): Promise<ItemTable[]> {
    if (!keys.length) return Promise.resolve([])
    return db
      .selectFrom('home_library_items')
      .selectAll()
      .where('member_id', '=', memberId)
      .where('match_key', 'in', keys)
      .execute()
  },

  /** Items with the member now. */
  out(db: Executor, memberIds: readonly string[]): Promise<ItemTable[]> {
    if (!memberIds.length) return Promise.resolve([])
    return db
      .selectFrom('home_library_items')
      .selectAll()
      .where('member_id', 'in', memberIds)
      .where('collected_on', 'is', null)
      .orderBy('delivered_on')
      .execute()
  },

  /** Marks the member's items collected; answers how many were theirs and out. */
  async collect(tx: Tx, memberId: string, ids: readonly string[], on: string): Promise<number> {
    if (!ids.length) return 0
    const result = await tx
      .updateTable('home_library_items')
      .set({ collected_on: on })
      .where('member_id', '=', memberId)
      .where('id', 'in', ids)
      .where('collected_on', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  },

  /** Adds to the figures of the month of `day` (each measure made on its first use). */
  async addCounts(tx: Tx, boroughId: string, day: string, counts: Record<string, number>): Promise<void> {
    const month = day.slice(0, 7)
    const rows = Object.entries(counts)
      .filter(([, n]) => n)
      .map(([measure, n]) => ({ id: newId(), borough_id: boroughId, month, measure, n }))
    if (!rows.length) return
    await tx
      .insertInto('home_library_monthly_counts')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['borough_id', 'month', 'measure'])
          .doUpdateSet((eb) => ({ n: eb('home_library_monthly_counts.n', '+', eb.ref('excluded.n')) })),
      )
      .execute()
  },

  /**
   * The member was visited this year (once is enough); the person's first visit of the year in the borough
   * counts them in its month, so a year's months add up to the different people visited.
   */
  async markVisited(
    tx: Tx,
    visited: { member_id: string; person_id: string; borough_id: string },
    day: string,
  ) {
    const row = { ...visited, year: Number(day.slice(0, 4)) }
    const counted = await tx
      .selectFrom('home_library_visited_years')
      .select('id')
      .where('year', '=', row.year)
      .where('borough_id', '=', row.borough_id)
      .where('person_id', '=', row.person_id)
      .limit(1)
      .executeTakeFirst()
    const result = await tx
      .insertInto('home_library_visited_years')
      .values({ id: newId(), ...row })
      .onConflict((oc) => oc.columns(['member_id', 'year']).doNothing())
      .executeTakeFirst()
    if (!counted && Number(result.numInsertedOrUpdatedRows ?? 0) === 1)
      await this.addCounts(tx, row.borough_id, day, { [MEASURES.firstVisited]: 1 })
  },
}
