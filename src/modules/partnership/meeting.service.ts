import { can, requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import { type ActionStatus, type Attendance, isOpen, reminderDue } from './action.ts'
import { addDays, today } from './agreement.ts'
import { type OwnerTable, meetingRepository as repo } from './meeting.repository.ts'
import type { PartnerService } from './partner.service.ts'

export interface MeetingInput {
  title: string
  heldOn: string
  venue: string
  agenda: string
  nextMeetingOn: string | null
}

export interface ActionInput {
  text: string
  dueOn: string
  isPublic: boolean
  /** `user:<account id>` or `contact:<partner contact id>`: one or more. */
  owners: string[]
}

/** Whom to ask for staff and partner contacts, and how long before and after a due date to remind. */
export interface MeetingDeps {
  accounts: Pick<AccountService, 'accountsFor' | 'loadStaffUser'>
  partners: PartnerService
  events: ModuleEvents
  reminderDays: number
}

/** Meetings (agenda, attendees, apologies, minutes, decisions) and their follow-up actions. */
export function meetingService(platform: Platform, deps: MeetingDeps) {
  const { database, audit, outbox } = platform
  const { db } = database
  const { partners } = deps

  async function meetingOrThrow(tx: Executor, id: string) {
    const meeting = isUuid(id) ? await repo.findMeeting(tx, id) : undefined
    if (!meeting) throw new NotFound()
    return meeting
  }

  async function openMeeting(tx: Executor, id: string) {
    const meeting = await meetingOrThrow(tx, id)
    if (meeting.minutes_closed_at) throw new Invalid('partnership.errors.minutesClosed')
    return meeting
  }

  /** A person chosen on a form (`user:<id>` or `contact:<id>`), with their name and organisation. */
  async function who(tx: Executor, choice: string) {
    const [kind, id = ''] = choice.split(':')
    if (kind === 'user' && isUuid(id)) {
      const user = await deps.accounts.loadStaffUser(id)
      if (user)
        return {
          user_id: user.id,
          contact_id: null,
          name: user.name,
          organisation_id: null,
          organisation_name: null,
        }
    }
    if (kind === 'contact') {
      const contact = await partners.findContact(id, tx)
      if (contact)
        return {
          user_id: null,
          contact_id: contact.id,
          name: contact.name,
          organisation_id: contact.organisation_id,
          organisation_name: await partners.organisationName(contact.organisation_id, tx),
        }
    }
    return null
  }

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
      const person = await who(db, input.person)
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

    /** An action needs at least one owner, each a staff account or a partner contact that exists. */
    async addAction(
      user: StaffUser,
      meetingId: string,
      input: ActionInput,
      ctx: AuditContext,
    ): Promise<string> {
      requirePermission(user, 'partnership.manage')
      const choices = [...new Set(input.owners)]
      if (!choices.length) throw new Invalid('partnership.errors.ownerMissing', 'owners')
      const id = newId()
      const owners: OwnerTable[] = []
      for (const choice of choices) {
        const person = await who(db, choice)
        if (!person) throw new Invalid('partnership.errors.ownerMissing', 'owners')
        owners.push({ id: newId(), action_id: id, ...person })
      }
      await db.transaction().execute(async (tx) => {
        const meeting = await openMeeting(tx, meetingId)
        const now = nowIso()
        await repo.insertAction(tx, {
          id,
          meeting_id: meeting.id,
          text: input.text,
          due_on: input.dueOn,
          status: 'open',
          is_public: input.isPublic,
          reminded_before_on: null,
          reminded_after_on: null,
          created_at: now,
          updated_at: now,
        })
        await repo.insertOwners(tx, owners)
        await audit.record(tx, ctx, {
          action: 'partnership.action-added',
          recordType: 'partnership-action',
          recordId: id,
          fields: ['text', 'due_on', 'owners'],
        })
      })
      return id
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

    async getAction(user: StaffUser, id: string) {
      const action = isUuid(id) ? await repo.findAction(db, id) : undefined
      if (!action) throw new NotFound()
      if (!can(user, 'partnership.view') && !(await repo.isOwner(db, action.id, user.id)))
        throw new NotFound()
      const [owners, updates, meeting] = await Promise.all([
        repo.ownersOf(db, [action.id]),
        repo.updatesOf(db, action.id),
        repo.findMeeting(db, action.meeting_id),
      ])
      return { action, owners, updates, meetingTitle: meeting?.title ?? '' }
    },

    /** A dated update with a status, by the partnership's staff or one of the action's owners. */
    async updateAction(
      user: StaffUser,
      id: string,
      input: { status: ActionStatus; note: string; dueOn?: string },
      ctx: AuditContext,
    ) {
      const manager = can(user, 'partnership.manage')
      await db.transaction().execute(async (tx) => {
        const action = isUuid(id) ? await repo.findAction(tx, id) : undefined
        if (!action) throw new NotFound()
        if (!manager && !(await repo.isOwner(tx, action.id, user.id))) throw new NotFound()
        const now = nowIso()
        await repo.updateAction(tx, action.id, {
          status: input.status,
          due_on: manager && input.dueOn ? input.dueOn : action.due_on,
          updated_at: now,
        })
        await repo.insertUpdate(tx, {
          id: newId(),
          action_id: action.id,
          status: input.status,
          note: input.note,
          user_id: user.id,
          user_name: user.name,
          at: now,
        })
        await audit.record(tx, ctx, {
          action: 'partnership.action-updated',
          recordType: 'partnership-action',
          recordId: action.id,
          fields: ['status', ...(input.note ? ['note'] : []), ...(manager && input.dueOn ? ['due_on'] : [])],
        })
      })
    },

    /** The actions this person owns, from every meeting. */
    async myActions(user: StaffUser) {
      const rows = await repo.actionsOwnedBy(db, user.id)
      return {
        open: rows.filter((r) => isOpen(r.status)),
        closed: rows.filter((r) => !isOpen(r.status)),
      }
    },

    /** Open actions across meetings, grouped by owner and by organisation (staff under the partnership). */
    async openActions(user: StaffUser, limit = 2000) {
      requirePermission(user, 'partnership.view')
      const rows = await repo.openByOwner(db, limit)
      const byOwner = new Map<string, typeof rows>()
      const byOrganisation = new Map<string, typeof rows>()
      for (const row of rows) {
        const owner = row.user_id ?? row.contact_id ?? row.owner_name
        byOwner.set(owner, [...(byOwner.get(owner) ?? []), row])
        const organisation = row.organisation_name ?? ''
        byOrganisation.set(organisation, [...(byOrganisation.get(organisation) ?? []), row])
      }
      return {
        total: new Set(rows.map((r) => r.id)).size,
        byOwner: [...byOwner.values()].map((actions) => ({ name: actions[0]?.owner_name ?? '', actions })),
        byOrganisation: [...byOrganisation.entries()]
          .map(([name, actions]) => ({ name, actions }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      }
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

    /**
     * Reminds each owner of an open action a few days before its due date and again once it is that many
     * days overdue, once per due date, through the outbox.
     */
    async sendReminders(now = new Date()): Promise<number> {
      const day = today(now)
      let sent = 0
      for (const action of await repo.openDueBy(db, addDays(day, deps.reminderDays))) {
        const which = reminderDue(
          {
            status: action.status,
            dueOn: action.due_on,
            remindedBeforeOn: action.reminded_before_on,
            remindedAfterOn: action.reminded_after_on,
          },
          day,
          deps.reminderDays,
          deps.reminderDays,
        )
        if (!which) continue
        const owners = await repo.ownersOf(db, [action.id])
        const recipients: { name: string; email: string }[] = []
        for (const owner of owners) {
          if (owner.user_id) {
            const account = await deps.accounts.loadStaffUser(owner.user_id)
            if (account) recipients.push({ name: account.name, email: account.email })
          } else if (owner.contact_id) {
            const contact = await partners.findContact(owner.contact_id)
            if (contact?.email) recipients.push({ name: contact.name, email: contact.email })
          }
        }
        await db.transaction().execute(async (tx) => {
          if (!(await repo.claimReminder(tx, action.id, which, action.due_on))) return
          for (const r of recipients) {
            await outbox.enqueue(tx, {
              channel: 'email',
              template: which === 'before' ? 'partnership-action-due' : 'partnership-action-overdue',
              recipient: r.email,
              personalisation: {
                name: r.name,
                action: action.text,
                dueOn: action.due_on,
                url: `${platform.config.publicUrl}/staff/partnership/my-actions`,
              },
            })
            sent++
          }
        })
      }
      return sent
    },
  }
}

export type MeetingService = ReturnType<typeof meetingService>
