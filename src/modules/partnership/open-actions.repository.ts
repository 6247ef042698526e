import type { Executor } from '#platform/database.ts'
import type { ActionStatus } from './action.ts'

/** The open-actions list narrowed to one owner (a staff account or a partner contact) or one organisation. */
export interface ActionFilter {
  kind: 'user' | 'contact' | 'organisation'
  id: string
}

const OPEN: ActionStatus[] = ['open', 'in-progress']

const COLUMN = {
  user: 'o.user_id',
  contact: 'o.contact_id',
  organisation: 'o.organisation_id',
} as const

/** Open actions of one owner or organisation: found through that owner's index, a page at a time. */
export const openActionsRepository = {
  /** Soonest due first; an action two people of one organisation own shows once. */
  page(db: Executor, filter: ActionFilter, limit: number, offset: number) {
    const q = db
      .selectFrom('action_owners as o')
      .innerJoin('partnership_actions as a', 'a.id', 'o.action_id')
      .innerJoin('partnership_meetings as m', 'm.id', 'a.meeting_id')
      .select(['a.id', 'a.text', 'a.due_on', 'a.status', 'a.meeting_id', 'm.title as meeting_title'])
    // One person owns an action once; only an organisation's list can meet it twice.
    return (filter.kind === 'organisation' ? q.distinct() : q)
      .where(COLUMN[filter.kind], '=', filter.id)
      .where('a.status', 'in', OPEN)
      .orderBy('a.due_on')
      .orderBy('a.id')
      .limit(limit)
      .offset(offset)
      .execute()
  },

  async count(db: Executor, filter: ActionFilter): Promise<number> {
    const row = await db
      .selectFrom('action_owners as o')
      .innerJoin('partnership_actions as a', 'a.id', 'o.action_id')
      .select((eb) =>
        (filter.kind === 'organisation'
          ? eb.fn.count<number>('a.id').distinct()
          : eb.fn.countAll<number>()
        ).as('n'),
      )
      .where(COLUMN[filter.kind], '=', filter.id)
      .where('a.status', 'in', OPEN)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },

  /** The name the owner or organisation has on their actions; undefined if they have none. */
  async name(db: Executor, filter: ActionFilter): Promise<string | undefined> {
    const row = await db
      .selectFrom('action_owners as o')
      .select(['o.name', 'o.organisation_name'])
      .where(COLUMN[filter.kind], '=', filter.id)
      .limit(1)
      .executeTakeFirst()
    if (!row) return undefined
    return filter.kind === 'organisation' ? (row.organisation_name ?? undefined) : row.name
  },
}
