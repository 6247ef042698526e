import type { Executor } from '#platform/database.ts'
import type { ActionStatus, Attendance } from './action.ts'

declare module '#platform/database.ts' {
  interface Tables {
    partnership_meetings: MeetingTable
    meeting_attendees: AttendeeTable
    meeting_decisions: DecisionTable
    partnership_actions: ActionTable
    action_owners: OwnerTable
    action_updates: ActionUpdateTable
  }
}

export interface MeetingTable {
  id: string
  title: string
  held_on: string
  venue: string
  agenda: string
  minutes: string
  next_meeting_on: string | null
  minutes_closed_at: string | null
  created_at: string
  updated_at: string
}

export interface AttendeeTable {
  id: string
  meeting_id: string
  user_id: string | null
  contact_id: string | null
  name: string
  organisation_name: string | null
  attendance: Attendance
}

export interface DecisionTable {
  id: string
  meeting_id: string
  text: string
  created_at: string
}

export interface ActionTable {
  id: string
  meeting_id: string
  text: string
  due_on: string
  status: ActionStatus
  /** Public actions go in the follow-up bulletin; the others stay among the partners. */
  is_public: boolean
  /** The due date each reminder was last sent for. */
  reminded_before_on: string | null
  reminded_after_on: string | null
  created_at: string
  updated_at: string
}

export interface OwnerTable {
  id: string
  action_id: string
  user_id: string | null
  contact_id: string | null
  name: string
  organisation_id: string | null
  organisation_name: string | null
}

export interface ActionUpdateTable {
  id: string
  action_id: string
  status: ActionStatus
  note: string
  user_id: string | null
  user_name: string
  at: string
}

const OPEN: ActionStatus[] = ['open', 'in-progress']

/** Meetings, their attendees and decisions, and the actions agreed with their owners and updates. */
export const meetingRepository = {
  async insertMeeting(db: Executor, row: MeetingTable): Promise<void> {
    await db.insertInto('partnership_meetings').values(row).execute()
  },

  findMeeting(db: Executor, id: string) {
    return db.selectFrom('partnership_meetings').selectAll().where('id', '=', id).executeTakeFirst()
  },

  listMeetings(db: Executor) {
    return db.selectFrom('partnership_meetings').selectAll().orderBy('held_on', 'desc').limit(200).execute()
  },

  async updateMeeting(db: Executor, id: string, fields: Partial<Omit<MeetingTable, 'id'>>) {
    await db.updateTable('partnership_meetings').set(fields).where('id', '=', id).execute()
  },

  /** Closes the minutes once: false when they were closed already (two at once: one wins). */
  async closeMinutes(db: Executor, id: string, at: string): Promise<boolean> {
    const result = await db
      .updateTable('partnership_meetings')
      .set({ minutes_closed_at: at, updated_at: at })
      .where('id', '=', id)
      .where('minutes_closed_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async insertAttendee(db: Executor, row: AttendeeTable): Promise<void> {
    await db.insertInto('meeting_attendees').values(row).execute()
  },

  attendeesOf(db: Executor, meetingId: string) {
    return db
      .selectFrom('meeting_attendees')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('name')
      .execute()
  },

  async insertDecision(db: Executor, row: DecisionTable): Promise<void> {
    await db.insertInto('meeting_decisions').values(row).execute()
  },

  decisionsOf(db: Executor, meetingId: string) {
    return db
      .selectFrom('meeting_decisions')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  },

  async insertAction(db: Executor, row: ActionTable): Promise<void> {
    await db.insertInto('partnership_actions').values(row).execute()
  },

  async insertOwners(db: Executor, rows: OwnerTable[]): Promise<void> {
    if (rows.length) await db.insertInto('action_owners').values(rows).execute()
  },

  findAction(db: Executor, id: string) {
    return db.selectFrom('partnership_actions').selectAll().where('id', '=', id).executeTakeFirst()
  },

  actionsOf(db: Executor, meetingId: string) {
    return db
      .selectFrom('partnership_actions')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('due_on')
      .orderBy('id')
      .execute()
  },

  ownersOf(db: Executor, actionIds: readonly string[]) {
    if (!actionIds.length) return Promise.resolve([])
    return db.selectFrom('action_owners').selectAll().where('action_id', 'in', actionIds).execute()
  },

  updatesOf(db: Executor, actionId: string) {
    return db
      .selectFrom('action_updates')
      .selectAll()
      .where('action_id', '=', actionId)
      .orderBy('at', 'desc')
      .execute()
  },

  async updateAction(db: Executor, id: string, fields: Partial<Omit<ActionTable, 'id'>>) {
    await db.updateTable('partnership_actions').set(fields).where('id', '=', id).execute()
  },

  async insertUpdate(db: Executor, row: ActionUpdateTable): Promise<void> {
    await db.insertInto('action_updates').values(row).execute()
  },

  /** Open actions across meetings, one row per owner, soonest due first, with the meeting's title. */
  openByOwner(db: Executor, limit: number) {
    return db
      .selectFrom('partnership_actions as a')
      .innerJoin('action_owners as o', 'o.action_id', 'a.id')
      .innerJoin('partnership_meetings as m', 'm.id', 'a.meeting_id')
      .select([
        'a.id',
        'a.text',
        'a.due_on',
        'a.status',
        'a.meeting_id',
        'm.title as meeting_title',
        'o.name as owner_name',
        'o.organisation_name',
        'o.user_id',
        'o.contact_id',
        'o.organisation_id',
      ])
      .where('a.status', 'in', OPEN)
      .orderBy('a.due_on')
      .orderBy('a.id')
      .limit(limit)
      .execute()
  },

  /** The actions a staff account owns, open ones first. */
  actionsOwnedBy(db: Executor, userId: string) {
    return db
      .selectFrom('partnership_actions as a')
      .innerJoin('action_owners as o', 'o.action_id', 'a.id')
      .innerJoin('partnership_meetings as m', 'm.id', 'a.meeting_id')
      .select(['a.id', 'a.text', 'a.due_on', 'a.status', 'a.meeting_id', 'm.title as meeting_title'])
      .where('o.user_id', '=', userId)
      .orderBy('a.due_on')
      .limit(500)
      .execute()
  },

  /** Whether this account owns the action. */
  async isOwner(db: Executor, actionId: string, userId: string): Promise<boolean> {
    const row = await db
      .selectFrom('action_owners')
      .select('id')
      .where('action_id', '=', actionId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row !== undefined
  },

  /**
   * Open actions due by `until` or overdue, not yet reminded after their due date: the reminder job's
   * candidates. Those reminded after are left out here, not by the job: a thousand such actions left open
   * would otherwise fill every page, and no newer action would be reminded.
   */
  openDueBy(db: Executor, until: string, limit = 1000) {
    return db
      .selectFrom('partnership_actions')
      .selectAll()
      .where('status', 'in', OPEN)
      .where('due_on', '<=', until)
      .where((eb) =>
        eb.or([eb('reminded_after_on', 'is', null), eb('reminded_after_on', '<>', eb.ref('due_on'))]),
      )
      .orderBy('due_on')
      .limit(limit)
      .execute()
  },

  /** Marks a reminder sent for this due date; false if another worker got there first. */
  async claimReminder(db: Executor, id: string, which: 'before' | 'after', dueOn: string): Promise<boolean> {
    const column = which === 'before' ? 'reminded_before_on' : 'reminded_after_on'
    const result = await db
      .updateTable('partnership_actions')
      .set({ [column]: dueOn })
      .where('id', '=', id)
      .where('due_on', '=', dueOn)
      .where((eb) => eb.or([eb(column, 'is', null), eb(column, '!=', dueOn)]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },
}
