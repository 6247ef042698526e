import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { Attendance } from './action.ts'
import { meetingRepository as repo } from './meeting.repository.ts'
import { type PeopleDeps, personChosen } from './meeting-people.ts'

export interface MeetingInput {
  title: string
  heldOn: string
  venue: string
  agenda: string
  nextMeetingOn: string | null
}

/** Whom to ask for staff and partner contacts; where closed minutes are announced. */
export interface MeetingDeps extends PeopleDeps {
  accounts: Pick<AccountService, 'accountsFor' | 'loadStaffUser'>
  events: ModuleEvents
}

/** The meeting, or NotFound. */
export async function meetingOrThrow(tx: Executor, id: string) {
  const meeting = isUuid(id) ? await repo.findMeeting(tx, id) : undefined
  if (!meeting) throw new NotFound()
  return meeting
}

/** The meeting while its minutes are open: attendees, decisions and actions are added only then. */
export async function openMeeting(tx: Executor, id: string) {
  const meeting = await meetingOrThrow(tx, id)
  if (meeting.minutes_closed_at) throw new Invalid('partnership.errors.minutesClosed')
  return meeting
}

/** Meetings: agenda, attendees and apologies, minutes, decisions (their actions: action.service.ts). */
export function meetingService(platform: Platform, deps: MeetingDeps) {
  const { database, audit } = platform
  const { db } = database
  const { partners } = deps

  return {
    async listMeetings(user: StaffUser) {
      requirePermission(user, 'partnership.view')
      return repo.listMeetings(db)
    },

    async createMeeting(user: StaffUser, input: MeetingInput, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'partnership.manage')
      if (input.nextMeetingOn && input.nextMeetingOn <= input.heldOn)
        throw new Invalid('partnership.errors.nextBeforeMeeting', 'nextMeetingOn')
      const id = newId()
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        await repo.insertMeeting(tx, {
          id,
          title: input.title,
          held_on: input.heldOn,
          venue: input.venue,
          agenda: input.agenda,
          minutes: '',
          next_meeting_on: input.nextMeetingOn,
          minutes_closed_at: null,
          created_at: now,
          updated_at: now,
        })
        await audit.record(tx, ctx, {
          action: 'partnership.meeting-created',
          recordType: 'meeting',
          recordId: id,
        })
      })
      return id
    },

    /** The meeting page: everything on it, actions with their owners and updates. */
    async getMeeting(user: StaffUser, id: string) {
      requirePermission(user, 'partnership.view')
      const meeting = await meetingOrThrow(db, id)
      const [attendees, decisions, actions] = await Promise.all([
        repo.attendeesOf(db, meeting.id),
        repo.decisionsOf(db, meeting.id),
        repo.actionsOf(db, meeting.id),
      ])
      const owners = await repo.ownersOf(
        db,
        actions.map((a) => a.id),
      )
      return {
        meeting,
        attended: attendees.filter((a) => a.attendance === 'attended'),
        apologies: attendees.filter((a) => a.attendance === 'apologies'),
        decisions,
        actions: actions.map((a) => ({ ...a, owners: owners.filter((o) => o.action_id === a.id) })),
      }
    },

    async saveMinutes(
      user: StaffUser,
      id: string,
      input: { minutes: string; nextMeetingOn: string | null },
      ctx: AuditContext,
    ) {
      requirePermission(user, 'partnership.manage')
      await db.transaction().execute(async (tx) => {
        const meeting = await openMeeting(tx, id)
        if (input.nextMeetingOn && input.nextMeetingOn <= meeting.held_on)
          throw new Invalid('partnership.errors.nextBeforeMeeting', 'nextMeetingOn')
        await repo.updateMeeting(tx, meeting.id, {
          minutes: input.minutes,
          next_meeting_on: input.nextMeetingOn,
          updated_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'partnership.minutes-saved',
          recordType: 'meeting',
          recordId: meeting.id,
          fields: ['minutes', 'next_meeting_on'],
        })
      })
    },

    async addAttendee(
      user: StaffUser,
      id: string,
      input: { person: string; attendance: Attendance },
      ctx: AuditContext,
    ) {
      requirePermission(user, 'partnership.manage')
      // Accounts are read through their module, outside the transaction (SQLite has one connection).
      const person = await personChosen(deps, db, input.person)
      if (!person) throw new Invalid('partnership.errors.personMissing', 'person')
      await db.transaction().execute(async (tx) => {
        const meeting = await openMeeting(tx, id)
        await repo.insertAttendee(tx, {
          id: newId(),
          meeting_id: meeting.id,
          user_id: person.user_id,
          contact_id: person.contact_id,
          name: person.name,
          organisation_name: person.organisation_name,
          attendance: input.attendance,
        })
        await audit.record(tx, ctx, {
          action: 'partnership.attendee-added',
          recordType: 'meeting',
          recordId: meeting.id,
          fields: ['attendance'],
        })
      })
    },

    async addDecision(user: StaffUser, id: string, text: string, ctx: AuditContext) {
      requirePermission(user, 'partnership.manage')
      await db.transaction().execute(async (tx) => {
        const meeting = await openMeeting(tx, id)
        await repo.insertDecision(tx, { id: newId(), meeting_id: meeting.id, text, created_at: nowIso() })
        await audit.record(tx, ctx, {
          action: 'partnership.decision-added',
          recordType: 'meeting',
          recordId: meeting.id,
        })
      })
    },

    /**
     * Closes the minutes: nothing more is added to the meeting, and the `partnership.minutes-closed` event
     * carries its decisions and public actions (to draft the follow-up bulletin) in the same transaction.
     */
    async closeMinutes(user: StaffUser, id: string, ctx: AuditContext) {
      requirePermission(user, 'partnership.manage')
      await db.transaction().execute(async (tx) => {
        const meeting = await meetingOrThrow(tx, id)
        if (!meeting.minutes.trim()) throw new Invalid('partnership.errors.minutesMissing', 'minutes')
        if (!(await repo.closeMinutes(tx, meeting.id, nowIso())))
          throw new Invalid('partnership.errors.minutesClosed')
        const [decisions, actions] = await Promise.all([
          repo.decisionsOf(tx, meeting.id),
          repo.actionsOf(tx, meeting.id),
        ])
        const publicActions = actions.filter((a) => a.is_public)
        const owners = await repo.ownersOf(
          tx,
          publicActions.map((a) => a.id),
        )
        await deps.events.publish(tx, 'partnership.minutes-closed', {
          meetingId: meeting.id,
          title: meeting.title,
          heldOn: meeting.held_on,
          decisions: decisions.map((d) => d.text),
          publicActions: publicActions.map((a) => ({
            text: a.text,
            owners: owners.filter((o) => o.action_id === a.id).map((o) => o.name),
            dueOn: a.due_on,
          })),
        })
        await audit.record(tx, ctx, {
          action: 'partnership.minutes-closed',
          recordType: 'meeting',
          recordId: meeting.id,
        })
      })
    },

    /** Who may own an action or attend: the partnership's staff and every partner contact. */
    async people(user: StaffUser) {
      requirePermission(user, 'partnership.view')
      const staff = new Map<string, string>()
      for (const borough of await listBoroughs(db))
        for (const account of await deps.accounts.accountsFor(user, {
          permission: 'partnership.view',
          alsoRoles: [],
          boroughId: borough.id,
        }))
          staff.set(account.id, account.name)
      const contacts = await partners.contacts(user)
      return [
        ...[...staff].map(([id, name]) => ({ value: `user:${id}`, text: name })),
        ...contacts.map((c) => ({ value: `contact:${c.id}`, text: `${c.name}, ${c.organisationName}` })),
      ]
    },
  }
}

export type MeetingService = ReturnType<typeof meetingService>
