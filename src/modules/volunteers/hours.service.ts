import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { londonToday, londonWallClock } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import { hoursRepository as hours } from './hours.repository.ts'
import { rotaRepository as rota } from './rota.repository.ts'
import { volunteerRepository as volunteers } from './volunteer.repository.ts'
import type { OwnHoursInput } from './volunteers.schemas.ts'

const DAY_MINUTES = 24 * 60
const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const

/**
 * Hours given: logged when a coordinator marks someone at a shift, or added by the volunteer and
 * approved by the coordinator; the year's figures, and the thank-you letter.
 */
export function hoursService(platform: Platform) {
  const { database, audit } = platform
  const { db, dialect } = database

  /** Hours of the caller's boroughs, or "not found". */
  async function inScope(user: StaffUser, id: string) {
    const row = isUuid(id) ? await hours.find(db, id) : undefined
    if (!row) throw new NotFound()
    requireInScope(user, row.borough_id)
    return row
  }

  return {
    /** Marks a volunteer as having been at a shift that has started: its hours count, once. */
    async attended(user: StaffUser, shiftId: string, assignmentId: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.manage')
      const shift = isUuid(shiftId) ? await rota.findShift(db, shiftId) : undefined
      if (!shift) throw new NotFound()
      requireInScope(user, shift.borough_id)
      const on = (await rota.onShift(db, shiftId)).find((a) => a.id === assignmentId)
      if (!on) throw new NotFound()
      if (shift.starts_at > nowIso()) throw new Invalid('volunteers.hours.errors.notYet', 'form')
      try {
        await db.transaction().execute(async (tx) => {
          await hours.insert(tx, {
            id: newId(),
            volunteer_id: on.volunteer_id,
            borough_id: shift.borough_id,
            place: shift.place,
            worked_on: londonWallClock(new Date(shift.starts_at)).date,
            minutes: Math.round((Date.parse(shift.ends_at) - Date.parse(shift.starts_at)) / 60_000),
            what: shift.title,
            assignment_id: assignmentId,
            status: 'approved',
            decided_by_user_id: user.id,
            created_at: nowIso(),
          })
          await audit.record(tx, ctx, {
            action: 'volunteers.attended',
            recordType: 'volunteer',
            recordId: on.volunteer_id,
            fields: ['hours'],
          })
        })
      } catch (error) {
        if (isUniqueViolation(error)) throw new Invalid('volunteers.hours.errors.alreadyCounted', 'form')
        throw error
      }
    },

    /**
     * A volunteer adds hours they gave off the rota, waiting for the coordinator. Not in the future, and
     * no day over 24 hours with what is already there (their row held, so two at once add up).
     */
    async addOwn(user: StaffUser, input: OwnHoursInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.own')
      const v = await volunteers.findByUser(db, user.id)
      if (!v) throw new Invalid('volunteers.mine.notLinked', 'workedOn')
      if (input.workedOn > londonToday()) throw new Invalid('volunteers.hours.errors.future', 'workedOn')
      const minutes = Math.round(input.hours * 60)
      await db.transaction().execute(async (tx) => {
        await rota.lockVolunteer(tx, dialect, v.id)
        if ((await hours.minutesOn(tx, v.id, input.workedOn)) + minutes > DAY_MINUTES)
          throw new Invalid('volunteers.hours.errors.overDay', 'hours')
        const id = newId()
        await hours.insert(tx, {
          id,
          volunteer_id: v.id,
          borough_id: v.borough_id,
          place: input.place,
          worked_on: input.workedOn,
          minutes,
          what: input.what,
          assignment_id: null,
          status: 'pending',
          decided_by_user_id: null,
          created_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'volunteers.hours-added',
          recordType: 'volunteer',
          recordId: v.id,
        })
      })
    },

    inScope,

    async decide(user: StaffUser, id: string, approve: boolean, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.manage')
      const row = await inScope(user, id)
      await db.transaction().execute(async (tx) => {
        if (!(await hours.decide(tx, id, approve ? 'approved' : 'refused', user.id)))
          throw new Invalid('volunteers.hours.errors.decided', 'form')
        await audit.record(tx, ctx, {
          action: approve ? 'volunteers.hours-approved' : 'volunteers.hours-refused',
          recordType: 'volunteer',
          recordId: row.volunteer_id,
        })
      })
    },

    pending(user: StaffUser) {
      requirePermission(user, 'volunteers.view')
      return hours.pending(db, scopeFilter(user))
    },

    /** A volunteer's own hours, for their page. */
    async mine(user: StaffUser) {
      requirePermission(user, 'volunteers.own')
      const v = await volunteers.findByUser(db, user.id)
      return v ? hours.ofVolunteer(db, v.id) : []
    },

    /** The year's figures per borough: applications, active, hours by month and library, training, retention. */
    async figures(user: StaffUser, year: number) {
      requirePermission(user, 'volunteers.view')
      const scope = scopeFilter(user)
      const from = `${year}-01-01`
      const to = `${year}-12-31`
      const [given, people, everActive, trained, boroughs] = await Promise.all([
        hours.approved(db, scope, from, to),
        hours.volunteers(db, scope),
        hours.everActive(db),
        hours.trainingCompleted(db, from, to),
        listBoroughs(db),
      ])
      const inYear = (iso: string) => londonToday(new Date(iso)).startsWith(String(year))
      return {
        year,
        boroughs: boroughs
          .filter((b) => scope === null || scope.includes(b.id))
          .map((b) => {
            const mine = people.filter((p) => p.borough_id === b.id)
            const theirHours = given.filter((h) => h.borough_id === b.id)
            const wereActive = mine.filter((p) => everActive.has(p.id))
            const sum = (rows: { minutes: number }[]) =>
              Math.round(rows.reduce((s, r) => s + r.minutes, 0) / 6) / 10
            const places = [...new Set(theirHours.map((h) => h.place))].sort()
            const names = [...new Map(theirHours.map((h) => [h.volunteer_id, h.name])).entries()]
            return {
              id: b.id,
              name: b.short_name,
              applications: mine.filter((p) => inYear(p.applied_at)).length,
              active: mine.filter((p) => p.status === 'active').length,
              hours: sum(theirHours),
              byMonth: MONTHS.map((m) => ({
                month: `${year}-${m}`,
                hours: sum(theirHours.filter((h) => h.worked_on.slice(5, 7) === m)),
              })),
              byPlace: places.map((place) => ({
                place,
                hours: sum(theirHours.filter((h) => h.place === place)),
              })),
              byVolunteer: names
                .map(([id, name]) => ({
                  id,
                  name,
                  hours: sum(theirHours.filter((h) => h.volunteer_id === id)),
                }))
                .sort((x, y) => y.hours - x.hours),
              trainingCompleted: trained.filter((t) => t.borough_id === b.id).length,
              // Of everyone who has been active, the share still with us (active or paused).
              everActive: wereActive.length,
              retained: wereActive.filter((p) => p.status === 'active' || p.status === 'paused').length,
            }
          }),
      }
    },

    /** The thank-you letter: a volunteer's approved hours in a year. */
    async letter(user: StaffUser, volunteerId: string, year: number) {
      requirePermission(user, 'volunteers.view')
      const v = isUuid(volunteerId) ? await volunteers.find(db, volunteerId) : undefined
      if (!v) throw new NotFound()
      requireInScope(user, v.borough_id)
      const rows = await hours.approved(db, [v.borough_id], `${year}-01-01`, `${year}-12-31`)
      const minutes = rows.filter((r) => r.volunteer_id === v.id).reduce((s, r) => s + r.minutes, 0)
      const boroughs = await listBoroughs(db)
      return {
        volunteer: v,
        year,
        hours: Math.round(minutes / 6) / 10,
        borough: boroughs.find((b) => b.id === v.borough_id)?.name ?? '',
      }
    },
  }
}

export type HoursService = ReturnType<typeof hoursService>
