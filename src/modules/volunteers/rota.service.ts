import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation, type Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { groupBy } from '#platform/group-by.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { londonToUtc, londonWallClock } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { HomeLibraryService } from '../home-library/index.ts'
import type { SessionsModuleService } from '../sessions/index.ts'
import { rotaRepository as rota, type ShiftTable } from './rota.repository.ts'
import { type Gate, shiftRefusal } from './rota.ts'
import type { TrainingService } from './training.service.ts'
import { type VolunteerTable, volunteerRepository as volunteers } from './volunteer.repository.ts'
import type { RoundShiftsInput, SessionShiftsInput, ShiftInput } from './volunteers.schemas.ts'

/** Shifts flagged, and their coordinators told, this many days ahead when places are still empty. */
export const UNDERSTAFFED_DAYS = 7

/**
 * The rota: shifts made by hand, from a session's dates or a Home Library round's, coordinators assigning
 * and volunteers claiming, each refused with its reason when a check or course does not count on the day,
 * when it clashes with another of their shifts, or when the last place has just gone.
 */
export function rotaService(
  platform: Platform,
  deps: {
    accounts: Pick<AccountService, 'emailsFor'>
    sessions: Pick<SessionsModuleService, 'staffSession' | 'staffList'>
    directory: Pick<DirectoryService, 'listLibraries'>
    rounds: Pick<HomeLibraryService['rounds'], 'roundsFor' | 'comingRuns'>
    // Whether a volunteer's courses count on a shift's day is asked of training, not read here.
    training: Pick<
      TrainingService,
      'completions' | 'completionsOfEach' | 'courseNames' | 'checkCourses' | 'trainingOf'
    >
  },
) {
  const { database, audit, outbox, config } = platform
  const { db, dialect } = database

  async function volunteerInScope(user: StaffUser, id: string): Promise<VolunteerTable> {
    const v = isUuid(id) ? await volunteers.find(db, id) : undefined
    if (!v) throw new NotFound()
    requireInScope(user, v.borough_id)
    return v
  }

  async function shiftInScope(user: StaffUser, id: string): Promise<ShiftTable> {
    const shift = isUuid(id) ? await rota.findShift(db, id) : undefined
    if (!shift) throw new NotFound()
    requireInScope(user, shift.borough_id)
    return shift
  }

  async function gate(v: VolunteerTable): Promise<Gate> {
    const [check, training] = await Promise.all([
      volunteers.check(db, v.id),
      deps.training.completions(db, v.id),
    ])
    return { status: v.status, check, training }
  }

  function needs(shift: ShiftTable) {
    return { ...shift, day: londonWallClock(new Date(shift.starts_at)).date }
  }

  /**
   * Puts a volunteer on a shift in one transaction: their row held so their own claims go one at a time,
   * the gate checked again, no clash, then one place taken by a conditional update (exactly one of two
   * claims of the last place gets it), then the assignment and the audit.
   */
  async function take(
    shift: ShiftTable,
    v: VolunteerTable,
    byUserId: string,
    action: string,
    ctx: AuditContext,
  ) {
    const names = await deps.training.courseNames()
    try {
      await db.transaction().execute(async (tx: Tx) => {
        await rota.lockVolunteer(tx, dialect, v.id)
        if (shift.starts_at <= nowIso()) throw new Invalid('volunteers.rota.errors.started', 'shift')
        const current = await volunteers.find(tx, v.id)
        if (!current) throw new NotFound()
        const [check, training] = await Promise.all([
          volunteers.check(tx, v.id),
          deps.training.completions(tx, v.id),
        ])
        const refused = shiftRefusal({ status: current.status, check, training }, needs(shift), names)
        if (refused) throw new Invalid(refused, 'shift')
        const clash = await rota.clashes(tx, v.id, shift.starts_at, shift.ends_at)
        if (clash.some((c) => c.shift_id === shift.id))
          throw new Invalid('volunteers.rota.errors.already', 'shift')
        if (clash.length) throw new Invalid('volunteers.rota.errors.clash', 'shift')
        if (!(await rota.takePlace(tx, shift.id))) throw new Invalid('volunteers.rota.errors.full', 'shift')
        await rota.insertAssignment(tx, {
          id: newId(),
          shift_id: shift.id,
          volunteer_id: v.id,
          starts_at: shift.starts_at,
          ends_at: shift.ends_at,
          assigned_by_user_id: byUserId,
          created_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action,
          recordType: 'volunteer-shift',
          recordId: shift.id,
          fields: ['volunteer'],
        })
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw new Invalid('volunteers.rota.errors.already', 'shift')
      throw error
    }
  }

  /**
   * Shifts made in one go (a session's or a round's coming dates, or one by hand), each audited: one
   * insert and one audit write for them all. Answers their ids in order.
   */
  async function createShifts(
    tx: Tx,
    rows: readonly Omit<ShiftTable, 'id' | 'places_taken' | 'understaffed_told_at' | 'created_at'>[],
    ctx: AuditContext,
  ): Promise<string[]> {
    const created = nowIso()
    const shifts = rows.map((row) => ({
      ...row,
      id: newId(),
      places_taken: 0,
      understaffed_told_at: null,
      created_at: created,
    }))
    await rota.insertShifts(tx, shifts)
    await audit.recordAll(
      tx,
      ctx,
      shifts.map((s) => ({
        action: 'volunteers.shift-created',
        recordType: 'volunteer-shift',
        recordId: s.id,
      })),
    )
    return shifts.map((s) => s.id)
  }

  return {
    async createShift(user: StaffUser, input: ShiftInput, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'volunteers.manage')
      requireInScope(user, input.borough)
      if (!(await listBoroughs(db)).some((b) => b.id === input.borough))
        throw new Invalid('volunteers.rota.errors.borough', 'borough')
      const startsAt = londonToUtc(input.date, input.start)
      const endsAt = londonToUtc(input.date, input.end)
      if (!startsAt) throw new Invalid('volunteers.rota.errors.start', 'start')
      if (!endsAt || endsAt <= startsAt) throw new Invalid('volunteers.rota.errors.endBeforeStart', 'end')
      if (startsAt <= nowIso()) throw new Invalid('volunteers.rota.errors.past', 'date')
      await deps.training.checkCourses(input.courses)
      return db.transaction().execute(async (tx) => {
        const [id] = await createShifts(
          tx,
          [
            {
              borough_id: input.borough,
              title: input.title,
              place: input.place,
              starts_at: startsAt,
              ends_at: endsAt,
              places: input.places,
              check_needed: input.checkNeeded,
              courses_json: input.courses,
              source: 'hand',
              source_id: null,
            },
          ],
          ctx,
        )
        return id as string
      })
    },

    /** The sessions of the caller's boroughs a rota could come from (the sessions module's list). */
    async sessions(user: StaffUser) {
      requirePermission(user, 'volunteers.manage')
      return deps.sessions.staffList(user)
    },

    /**
     * A shift for each coming date of a session that has none yet, through the sessions module's service:
     * its title and times, at its library. Answers how many were made.
     */
    async shiftsFromSession(user: StaffUser, input: SessionShiftsInput, ctx: AuditContext): Promise<number> {
      requirePermission(user, 'volunteers.manage')
      const { session, occurrences } = await deps.sessions.staffSession(user, input.session)
      await deps.training.checkCourses(input.courses)
      const now = nowIso()
      const coming = occurrences.filter((o) => !o.is_cancelled && o.starts_at > now)
      const done = new Set(
        await rota.sourced(
          db,
          coming.map((o) => o.id),
        ),
      )
      const library = (await deps.directory.listLibraries()).find((l) => l.id === session.location_id)
      const fresh = coming.filter((o) => !done.has(o.id))
      const rows = fresh.map((o) => ({
        borough_id: session.borough_id,
        title: session.title,
        place: library?.name ?? session.venue,
        starts_at: o.starts_at,
        ends_at: o.ends_at,
        places: input.places,
        check_needed: input.checkNeeded,
        courses_json: input.courses,
        source: 'session' as const,
        source_id: o.id,
      }))
      await db.transaction().execute((tx) => createShifts(tx, rows, ctx))
      return fresh.length
    },

    /** The Home Library rounds of the caller's boroughs a rota could come from. */
    async rounds(user: StaffUser) {
      requirePermission(user, 'volunteers.manage')
      return deps.rounds.roundsFor(user)
    },

    /**
     * A shift for each of a Home Library round's next runs that has none yet, at the times given (rounds
     * keep a weekday, not times): the round's name, at its library. Answers how many were made.
     */
    async shiftsFromRound(user: StaffUser, input: RoundShiftsInput, ctx: AuditContext): Promise<number> {
      requirePermission(user, 'volunteers.manage')
      const { round, days } = await deps.rounds.comingRuns(user, input.round, input.weeks)
      await deps.training.checkCourses(input.courses)
      const now = nowIso()
      const runs = days
        .map((day) => {
          const starts_at = londonToUtc(day, input.start)
          const ends_at = londonToUtc(day, input.end)
          // A time the clocks skip on one of the days: the coordinator chooses another.
          if (!starts_at) throw new Invalid('volunteers.rota.errors.start', 'start')
          if (!ends_at) throw new Invalid('volunteers.rota.errors.end', 'end')
          return { sourceId: `${round.id}:${day}`, starts_at, ends_at }
        })
        .filter((r) => r.starts_at > now)
      const done = new Set(
        await rota.sourced(
          db,
          runs.map((r) => r.sourceId),
        ),
      )
      const fresh = runs.filter((r) => !done.has(r.sourceId))
      const rows = fresh.map((r) => ({
        borough_id: round.borough_id,
        title: round.name,
        place: round.library,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        places: input.places,
        check_needed: input.checkNeeded,
        courses_json: input.courses,
        source: 'home-library-round' as const,
        source_id: r.sourceId,
      }))
      await db.transaction().execute((tx) => createShifts(tx, rows, ctx))
      return fresh.length
    },

    /** Coming shifts in the caller's boroughs, who is on each, and those short of helpers within a week. */
    async rota(user: StaffUser) {
      requirePermission(user, 'volunteers.view')
      const now = nowIso()
      const soon = new Date(Date.now() + UNDERSTAFFED_DAYS * 86_400_000).toISOString()
      const shifts = await rota.shifts(db, scopeFilter(user), now)
      const ids = shifts.map((s) => s.id)
      const on = groupBy(await rota.onShifts(db, ids), (a) => a.shift_id)
      return shifts.map((s) => ({
        ...s,
        on: on.get(s.id) ?? [],
        understaffed: s.places_taken < s.places && s.starts_at <= soon,
      }))
    },

    /** One shift, who is on it, and each active volunteer of its borough with why they cannot go, if so. */
    async shift(user: StaffUser, id: string) {
      requirePermission(user, 'volunteers.view')
      const shift = await shiftInScope(user, id)
      const on = await rota.onShift(db, id)
      const names = await deps.training.courseNames()
      const onIds = new Set(on.map((o) => o.volunteer_id))
      const active = (await rota.active(db, shift.borough_id)).filter((c) => !onIds.has(c.id))
      // Every candidate's check and training in two queries, not two for each volunteer.
      const ids = active.map((c) => c.id)
      const [checks, training] = await Promise.all([
        volunteers.checksOf(db, ids),
        deps.training.completionsOfEach(ids),
      ])
      const checkOf = new Map(checks.map((c) => [c.volunteer_id, c]))
      const trainingOf = groupBy(training, (t) => t.volunteer_id)
      const candidates = active.map((c) => {
        const gate = { status: c.status, check: checkOf.get(c.id), training: trainingOf.get(c.id) ?? [] }
        return { ...c, refused: shiftRefusal(gate, needs(shift), names) }
      })
      return { shift, on, candidates, courseName: names }
    },

    async assign(user: StaffUser, shiftId: string, volunteerId: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.manage')
      const shift = await shiftInScope(user, shiftId)
      const v = await volunteerInScope(user, volunteerId)
      if (v.borough_id !== shift.borough_id)
        throw new Invalid('volunteers.rota.errors.volunteer', 'volunteer')
      await take(shift, v, user.id, 'volunteers.shift-assigned', ctx)
    },

    /** A signed-in volunteer claims a place on a shift of their borough. */
    async claim(user: StaffUser, shiftId: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.own')
      const shift = isUuid(shiftId) ? await rota.findShift(db, shiftId) : undefined
      if (!shift) throw new NotFound()
      requireInScope(user, shift.borough_id)
      const v = await volunteers.findByUser(db, user.id)
      if (!v) throw new Invalid('volunteers.mine.notLinked', 'shift')
      if (shift.borough_id !== v.borough_id) throw new NotFound()
      await take(shift, v, user.id, 'volunteers.shift-claimed', ctx)
    },

    /**
     * A volunteer's own page: their coming shifts, the open ones of their borough, their training; null
     * until the coordinator links their account to their record.
     */
    async mine(user: StaffUser) {
      requirePermission(user, 'volunteers.own')
      const v = await volunteers.findByUser(db, user.id)
      if (!v) return null
      const now = nowIso()
      const mineShifts = await rota.shiftsOf(db, v.id, now)
      const taken = new Set(mineShifts.map((s) => s.id))
      // What may stop them is read once, not once a shift.
      const [theirGate, names] = await Promise.all([gate(v), deps.training.courseNames()])
      const open = (await rota.shifts(db, [v.borough_id], now))
        .filter((s) => !taken.has(s.id) && s.places_taken < s.places)
        .map((s) => ({
          ...s,
          // Why they may not take it now (before any lock), or null.
          refused:
            s.starts_at <= now ? 'volunteers.rota.errors.started' : shiftRefusal(theirGate, needs(s), names),
        }))
      return { volunteer: v, mine: mineShifts, open, training: await deps.training.trainingOf(v.id) }
    },

    /** Tells coordinators, once per shift, of a shift within the week with places still empty. */
    async remindUnderstaffed(now = new Date()): Promise<number> {
      const soon = new Date(now.getTime() + UNDERSTAFFED_DAYS * 86_400_000).toISOString()
      const shifts = await rota.understaffedBy(db, now.toISOString(), soon)
      for (const s of shifts) {
        const emails = await deps.accounts.emailsFor({
          permission: 'volunteers.manage',
          boroughId: s.borough_id,
        })
        await db.transaction().execute(async (tx) => {
          for (const email of emails)
            await outbox.enqueue(tx, {
              channel: 'email',
              template: 'volunteers-understaffed',
              recipient: email,
              boroughId: s.borough_id,
              personalisation: {
                title: s.title,
                place: s.place,
                startsAt: `${londonWallClock(new Date(s.starts_at)).date} ${londonWallClock(new Date(s.starts_at)).time}`,
                missing: String(s.places - s.places_taken),
                link: `${config.publicUrl}/staff/volunteers/rota/${s.id}`,
              },
            })
          await rota.markUnderstaffedTold(tx, s.id, nowIso())
        })
      }
      return shifts.length
    },
  }
}

export type RotaService = ReturnType<typeof rotaService>
