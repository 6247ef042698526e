import type { Executor } from '#platform/database.ts'

declare module '#platform/database.ts' {
  interface Tables {
    home_library_deposits: DepositTable
  }
}

export interface DepositTable {
  id: string
  borough_id: string
  site: string
  kind: 'hospital' | 'transport' | 'care-home'
  items_placed: number
  placed_on: string
  refresh_weeks: number
  refresh_on: string
  created_at: string
  updated_at: string
}

/** Deposit collections at partner sites. */
export const depositRepository = {
  async insert(db: Executor, row: DepositTable): Promise<void> {
    await db.insertInto('home_library_deposits').values(row).execute()
  },

  find(db: Executor, id: string): Promise<DepositTable | undefined> {
    return db.selectFrom('home_library_deposits').selectAll().where('id', '=', id).executeTakeFirst()
  },

  /** Soonest refresh first. */
  list(db: Executor, scope: readonly string[] | null): Promise<DepositTable[]> {
    let q = db.selectFrom('home_library_deposits').selectAll().orderBy('refresh_on').orderBy('site')
    if (scope) q = q.where('borough_id', 'in', scope.length ? scope : [''])
    return q.limit(500).execute()
  },

  async update(db: Executor, id: string, fields: Partial<Omit<DepositTable, 'id'>>): Promise<void> {
    await db.updateTable('home_library_deposits').set(fields).where('id', '=', id).execute()
  },
}
