import { can, requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { type ActionStatus, isOpen, reminderDue } from './action.ts'
import { addDays, today } from './agreement.ts'
import { type OwnerTable, meetingRepository as repo } from './meeting.repository.ts'
import { openMeeting } from './meeting.service.ts'
import { type PeopleDeps, personChosen } from './meeting-people.ts'
import { openActionsRepository } from './open-actions.repository.ts'

export interface ActionInput {
  text: string
  dueOn: string
  isPublic: boolean
  /** `user:<account id>` or `contact:<partner contact id>`: one or more. */
  owners: string[]
}

/** Whom an action's owners are, and how long before and after a due date to remind them. */
export interface ActionDeps extends PeopleDeps {
  reminderDays: number
}

/** Meetings' follow-up actions: added while the minutes are open, updated, listed, and their owners reminded. */
export function actionService(platform: Platform, deps: ActionDeps) {
  const { database, audit, outbox } = platform
  const { db } = database
  const { partners } = deps
  let kept: { version: number; limit: number; shown: OpenActions } | null = null

  return {
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
        const person = await personChosen(deps, db, choice)
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
      // Kept for the version of the actions data it was read at, as one owner's list is (open-actions.service.ts).
      const version = await openActionsRepository.version(db)
      if (kept?.version === version && kept.limit === limit) return kept.shown
      const shown = byOwnerAndOrganisation(await repo.openByOwner(db, limit))
      kept = { version, limit, shown }
      return shown
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

type OpenRow = Awaited<ReturnType<typeof repo.openByOwner>>[number]
type OpenActions = ReturnType<typeof byOwnerAndOrganisation>

/** Open actions grouped by owner (in due order) and by organisation (by name; staff under none). */
function byOwnerAndOrganisation(rows: OpenRow[]) {
  const byOwner = new Map<string, OpenRow[]>()
  const byOrganisation = new Map<string, OpenRow[]>()
  const add = (groups: Map<string, OpenRow[]>, key: string, row: OpenRow) => {
    const group = groups.get(key)
    if (group) group.push(row)
    else groups.set(key, [row])
  }
  for (const row of rows) {
    add(byOwner, row.user_id ?? row.contact_id ?? row.owner_name, row)
    add(byOrganisation, row.organisation_name ?? '', row)
  }
  return {
    total: new Set(rows.map((r) => r.id)).size,
    byOwner: [...byOwner.values()].map((actions) => ({ name: actions[0]?.owner_name ?? '', actions })),
    byOrganisation: [...byOrganisation.entries()]
      .map(([name, actions]) => ({ name, actions }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }
}

export type ActionService = ReturnType<typeof actionService>
