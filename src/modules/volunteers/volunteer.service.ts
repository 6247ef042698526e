import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { messageKey } from '#platform/forms.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import { rotaRepository as rota } from './rota.repository.ts'
import { volunteerRepository as repo, type VolunteerTable } from './volunteer.repository.ts'
import {
  checkState,
  daysBetween,
  LEFT_REASONS,
  nextSteps,
  STATUSES,
  type VolunteerStatus,
} from './volunteer.ts'
import type { CheckInput, OwnDetailsInput } from './volunteers.schemas.ts'

/** The pipeline, each volunteer's record and account, and their checks. */
export function volunteerService(
  platform: Platform,
  deps: { accounts: Pick<AccountService, 'accountsFor' | 'emailsFor'>; waitingDays: number },
) {
  const { database, audit, outbox, config } = platform
  const { db } = database

  async function inScope(user: StaffUser, id: string): Promise<VolunteerTable> {
    const volunteer = isUuid(id) ? await repo.find(db, id) : undefined
    if (!volunteer) throw new NotFound()
    requireInScope(user, volunteer.borough_id)
    return volunteer
  }

  /** Volunteer accounts of the borough not yet linked to a record, for the coordinator to choose from. */
  async function accountChoices(user: StaffUser, boroughId: string) {
    const accounts = await deps.accounts.accountsFor(user, {
      permission: 'volunteers.own',
      alsoRoles: [],
      boroughId,
    })
    const ids = accounts.map((a) => a.id)
    const linked = await repo.linkedUsers(db, ids)
    return accounts.filter((a) => !linked.has(a.id))
  }

  return {
    /** Every volunteer in the caller's boroughs, by borough and step: the board. */
    async board(user: StaffUser) {
      requirePermission(user, 'volunteers.view')
      const [volunteers, boroughs] = await Promise.all([repo.list(db, scopeFilter(user)), listBoroughs(db)])
      const today = londonToday()
      const scope = scopeFilter(user)
      return boroughs
        .filter((b) => scope === null || scope.includes(b.id))
        .map((borough) => ({
          borough,
          columns: STATUSES.map((status) => ({
            status,
            volunteers: volunteers
              .filter((v) => v.borough_id === borough.id && v.status === status)
              .map((v) => ({
                id: v.id,
                name: v.name,
                waitingDays: status === 'applied' ? daysSince(v.applied_at, today) : 0,
              })),
          })),
        }))
    },

    /** One volunteer: their application and every step, dated and attributed. */
    async get(user: StaffUser, id: string, ctx: AuditContext) {
      requirePermission(user, 'volunteers.view')
      const volunteer = await inScope(user, id)
      await audit.record(db, ctx, { action: 'volunteers.viewed', recordType: 'volunteer', recordId: id })
      const steps = await repo.steps(db, id)
      const accounts = volunteer.user_id ? [] : await accountChoices(user, volunteer.borough_id)
      return { volunteer, steps, next: nextSteps(volunteer.status), accounts }
    },

    /**
     * Moves a volunteer one step along, from the step the coordinator saw. Becoming active needs a check
     * in date. Two coordinators at once: one moves them, the other is told it has already happened.
     */
    async move(
      user: StaffUser,
      id: string,
      input: { from: VolunteerStatus; to: VolunteerStatus; reason?: string },
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'volunteers.manage')
      const volunteer = await inScope(user, id)
      if (!nextSteps(input.from).includes(input.to)) throw new Invalid('volunteers.errors.to', 'to')
      if (input.to === 'left' && !(LEFT_REASONS as readonly string[]).includes(input.reason ?? ''))
        throw new Invalid('volunteers.errors.reason', 'reason')
      if (input.to === 'active') {
        const state = checkState(await repo.check(db, id), londonToday())
        if (state !== 'in-date') throw new Invalid(`volunteers.gate.${state}`, 'to')
      }
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        const moved = await repo.move(tx, id, input.from, {
          status: input.to,
          left_reason: input.to === 'left' ? (input.reason ?? null) : volunteer.left_reason,
          updated_at: now,
        })
        if (!moved) throw new Invalid('volunteers.errors.alreadyMoved', 'to')
        if (input.to === 'left') await rota.freeShifts(tx, id, now)
        await repo.insertStep(tx, {
          id: newId(),
          volunteer_id: id,
          status: input.to,
          reason: input.to === 'left' ? (input.reason ?? null) : null,
          moved_by_user_id: user.id,
          moved_by_name: user.name,
          moved_at: now,
        })
        await audit.record(tx, ctx, {
          action: 'volunteers.moved',
          recordType: 'volunteer',
          recordId: id,
          fields: input.to === 'left' ? ['status', 'left_reason'] : ['status'],
        })
      })
    },

    /** Links the volunteer's own account (a volunteer account of their borough not linked to anyone). */
    async linkAccount(user: StaffUser, id: string, accountId: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.manage')
      const volunteer = await inScope(user, id)
      if (volunteer.user_id) throw new Invalid('volunteers.errors.account', 'account')
      if (!(await accountChoices(user, volunteer.borough_id)).some((a) => a.id === accountId))
        throw new Invalid('volunteers.errors.account', 'account')
      await db.transaction().execute(async (tx) => {
        await repo.update(tx, id, { user_id: accountId, updated_at: nowIso() })
        await audit.record(tx, ctx, {
          action: 'volunteers.account-linked',
          recordType: 'volunteer',
          recordId: id,
          fields: ['user_id'],
        })
      })
    },

    /** The volunteer's checks: criminal-offence data, for the coordinator alone, each view audited. */
    async checks(user: StaffUser, id: string, ctx: AuditContext) {
      requirePermission(user, 'volunteers.checks')
      const volunteer = await inScope(user, id)
      const check = await repo.check(db, id)
      await audit.record(db, ctx, {
        action: 'volunteers.checks-viewed',
        recordType: 'volunteer',
        recordId: id,
        fields: ['checks'],
      })
      return { volunteer, check, state: checkState(check, londonToday()) }
    },

    async saveChecks(user: StaffUser, id: string, input: CheckInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.checks')
      await inScope(user, id)
      const today = londonToday()
      if (input.issuedOn > today) throw new Invalid('volunteers.errors.issuedFuture', 'issuedOn')
      if (input.renewsOn <= input.issuedOn)
        throw new Invalid('volunteers.errors.renewsBeforeIssue', 'renewsOn')
      if (input.statusCheckedOn && (input.statusCheckedOn < input.issuedOn || input.statusCheckedOn > today))
        throw new Invalid('volunteers.errors.statusCheckedOn', 'statusCheckedOn')
      if (input.statusCheckedOn && !input.updateService)
        throw new Invalid('volunteers.errors.statusWithoutUpdateService', 'statusCheckedOn')
      await db.transaction().execute(async (tx) => {
        await repo.saveCheck(tx, {
          id: newId(),
          volunteer_id: id,
          dbs_level: input.level,
          has_barred_list: input.barredList,
          certificate_number: input.certificate,
          issued_on: input.issuedOn,
          is_on_update_service: input.updateService,
          status_checked_on: input.statusCheckedOn ?? null,
          renews_on: input.renewsOn,
          references_received: input.referencesReceived,
          updated_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'volunteers.checks-recorded',
          recordType: 'volunteer',
          recordId: id,
          fields: ['checks'],
        })
      })
    },

    /** A volunteer changes their own contact details and when they are free. */
    async updateOwn(user: StaffUser, input: OwnDetailsInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.own')
      const v = await repo.findByUser(db, user.id)
      if (!v) throw new Invalid('volunteers.mine.notLinked', 'email')
      await db.transaction().execute(async (tx) => {
        await repo.update(tx, v.id, {
          email: input.email,
          phone: input.phone,
          availability_json: input.slots,
          updated_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'volunteers.details-changed',
          recordType: 'volunteer',
          recordId: v.id,
          fields: ['email', 'phone', 'availability'],
        })
      })
    },

    /** A volunteer leaves, with their reason: the step is theirs, and their coming shifts are freed. */
    async leave(user: StaffUser, reason: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.own')
      const v = await repo.findByUser(db, user.id)
      if (!v) throw new Invalid('volunteers.mine.notLinked', 'reason')
      if (v.status === 'left') return
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        if (!(await repo.move(tx, v.id, v.status, { status: 'left', left_reason: reason, updated_at: now })))
          throw new Invalid('volunteers.errors.alreadyMoved', 'reason')
        await repo.insertStep(tx, {
          id: newId(),
          volunteer_id: v.id,
          status: 'left',
          reason,
          moved_by_user_id: user.id,
          moved_by_name: user.name,
          moved_at: now,
        })
        await rota.freeShifts(tx, v.id, now)
        await audit.record(tx, ctx, {
          action: 'volunteers.left',
          recordType: 'volunteer',
          recordId: v.id,
          fields: ['status', 'left_reason'],
        })
      })
    },

    /**
     * For the Home Library's rounds: why this account may not go out, as a message key, or null when it
     * may. Accounts that are no volunteer's (staff) answer null; a volunteer needs an active record and
     * a check in date. The reason names the person, never the check's details.
     */
    async delivererRefusal(userId: string): Promise<string | null> {
      const volunteer = await repo.findByUser(db, userId)
      if (!volunteer) return null
      if (volunteer.status !== 'active')
        return messageKey('volunteers.gate.notActive', { name: volunteer.name })
      const state = checkState(await repo.check(db, volunteer.id), londonToday())
      if (state === 'in-date') return null
      return messageKey(`volunteers.gate.${state}Named`, { name: volunteer.name })
    },

    /**
     * Tells each borough's coordinators of applications nobody has contacted for more than the set days;
     * each application once, its mark and the message in one transaction. Answers how many were told.
     */
    async remindWaiting(now = new Date()): Promise<number> {
      const before = new Date(now.getTime() - deps.waitingDays * 86_400_000).toISOString()
      const waiting = await repo.waiting(db, before)
      const boroughs = await listBoroughs(db)
      let told = 0
      for (const borough of boroughs) {
        const mine = waiting.filter((v) => v.borough_id === borough.id)
        if (!mine.length) continue
        const emails = await deps.accounts.emailsFor({
          permission: 'volunteers.manage',
          boroughId: borough.id,
        })
        await db.transaction().execute(async (tx) => {
          for (const email of emails)
            await outbox.enqueue(tx, {
              channel: 'email',
              template: 'volunteers-waiting',
              recipient: email,
              boroughId: borough.id,
              personalisation: {
                count: String(mine.length),
                boroughName: borough.short_name,
                days: String(deps.waitingDays),
                link: `${config.publicUrl}/staff/volunteers`,
              },
            })
          for (const v of mine) await repo.update(tx, v.id, { waiting_reminded_at: nowIso() })
        })
        told += mine.length
      }
      return told
    },
  }
}

/** Whole days from an instant's London date to `today`. */
function daysSince(iso: string, today: string): number {
  return daysBetween(londonToday(new Date(iso)), today)
}

export type VolunteerService = ReturnType<typeof volunteerService>
