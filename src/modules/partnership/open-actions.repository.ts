import { sql } from 'kysely'
import { compiledOnce } from '#platform/compiled.ts'
import type { Executor } from '#platform/database.ts'
import type { ActionStatus } from './action.ts'

declare module '#platform/database.ts' {
  interface Tables {
    /** Moved by triggers at every write to actions, owners and meetings (migration 202612020730). */
    partnership_actions_version: { id: number; version: number }
  }
}

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

// Asked on every request for a list: compiled once (see compiledOnce).
const versionRow = compiledOnce((db: Executor) =>
  db.selectFrom('partnership_actions_version').select('version').where('id', '=', 1),
)

/** Open actions of one owner or organisation: found through that owner's index, a page at a time. */
export const openActionsRepository = {
  /** The actions data's version: it moves, in the writing transaction, whenever a list could change. */
  async version(db: Executor): Promise<number> {
    const [row] = await versionRow(db)
    return Number(row?.version)
  },

  /**
   * Soonest due first; an action two people of one organisation own shows once. The page's actions are
   * chosen from the owner's index and the actions' (id, status, due_on) index alone, then only those are
   * read with their meetings: joined whole, PostgreSQL read every action to find an owner's few.
   */
  page(db: Executor, filter: ActionFilter, limit: number, offset: number) {
    const chosen = db
      .selectFrom('action_owners as o')
      .innerJoin('partnership_actions as a', 'a.id', 'o.action_id')
      .select(['a.id', 'a.due_on'])
      .where(COLUMN[filter.kind], '=', filter.id)
      .where('a.status', 'in', OPEN)
      .orderBy('a.due_on')
      .orderBy('a.id')
      .limit(limit)
      .offset(offset)
    // One person owns an action once; only an organisation's list can meet it twice.
    return db
      .selectFrom((filter.kind === 'organisation' ? chosen.distinct() : chosen).as('p'))
      .innerJoin('partnership_actions as a', 'a.id', 'p.id')
      .innerJoin('partnership_meetings as m', 'm.id', 'a.meeting_id')
      .select(['a.id', 'a.text', 'a.due_on', 'a.status', 'a.meeting_id', 'm.title as meeting_title'])
      .orderBy('a.due_on')
      .orderBy('a.id')
      .execute()
  },

  /**
   * In one query: the name the owner or organisation has on their actions, and how many of those are open.
   * Undefined if they own no action at all (the list of nobody).
   */
  async summary(db: Executor, filter: ActionFilter): Promise<{ name: string; total: number } | undefined> {
    const organisation = filter.kind === 'organisation'
    const row = await db
      .selectFrom('action_owners as o')
      .innerJoin('partnership_actions as a', 'a.id', 'o.action_id')
      .select((eb) => {
        const open = eb.case().when('a.status', 'in', OPEN)
        return [
          eb.fn.max(organisation ? 'o.organisation_name' : 'o.name').as('name'),
          // An action two people of one organisation own counts once.
          (organisation
            ? eb.fn.count(open.then(eb.ref('a.id')).end()).distinct()
            : eb.fn.count(open.then(sql.lit(1)).end())
          ).as('total'),
        ]
      })
      .where(COLUMN[filter.kind], '=', filter.id)
      .executeTakeFirst()
    if (row?.name == null) return undefined
    return { name: row.name, total: Number(row.total) }
  },
}
