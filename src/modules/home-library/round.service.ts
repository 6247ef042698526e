import { can, requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import { VersionedCache } from '#platform/versioned-cache.ts'
import type { AccountService } from '../accounts/index.ts'
import type { RoundInput } from './home-library.schemas.ts'
import { memberRepository as members, type RoundTable } from './member.repository.ts'
import { roundRepository as repo } from './round.repository.ts'
import { nextWorkingDay, weekday } from './schedule.ts'
import { outLongerThanUsualBefore } from './visit.service.ts'

/**
 * Why a deliverer may not go out, as a message key (`messageKey`), or null when they may. A later module
 * (volunteers, from their checks) registers one with `checkDeliverersWith`; until then everyone may.
 */
export type DelivererCheck = (userId: string) => Promise<string | null>

/** A stop as the round sheet shows it; its access notes only on the deliverer's copy. */
type SheetStop = Awaited<ReturnType<typeof repo.sheetStops>>[number] & {
  out: { title: string; overdue: boolean }[]
  access: { access_notes: string; emergency_contact: string } | null
}

/** Rounds: a library's weekday of stops in order, with its deliverer, and the printable round sheet. */
export function roundService(
  platform: Platform,
  deps: {
    accounts: Pick<AccountService, 'accountsFor'>
    bankHolidays: ReadonlySet<string>
  },
) {
  const { database, audit } = platform
  const { db } = database
  const { accounts, bankHolidays } = deps
  let delivererRefusal: DelivererCheck = async () => null
  const sheets = new VersionedCache<SheetStop[]>()

  async function roundInScope(user: StaffUser, id: string): Promise<RoundTable> {
    const round = isUuid(id) ? await repo.find(db, id) : undefined
    if (!round) throw new NotFound()
    requireInScope(user, round.borough_id)
    return round
  }

  /** Staff and volunteer accounts of the borough who may deliver. */
  function deliverers(user: StaffUser, boroughId: string) {
    return accounts.accountsFor(user, {
      permission: 'home-library.manage',
      alsoRoles: ['volunteer'],
      boroughId,
    })
  }

  /** The round's next day out from today: its weekday, moved past a bank holiday. */
  function nextRun(round: RoundTable, today: string): string {
    const day = addDays(today, (round.weekday - weekday(today) + 7) % 7)
    return nextWorkingDay(day, bankHolidays)
  }

  /**
   * A round's stops for its day with each member's planned visit and items out (never access notes),
   * kept per version of those tables (the version read first), round and day. Read only after the
   * round's borough is checked against the reader's.
   */
  async function sheetStops(id: string, day: string) {
    const version = await repo.sheetVersion(db)
    const key = `${id}|${day}`
    return sheets.get(version, key, async () => {
      const [stops, out] = await Promise.all([repo.sheetStops(db, id, day), repo.itemsOut(db, id)])
      // Each stop's items, found by member rather than searched for per stop.
      const outOf = new Map<string, { title: string; overdue: boolean }[]>()
      const takeBack = outLongerThanUsualBefore(day)
      for (const i of out) {
        const items = outOf.get(i.member_id) ?? []
        items.push({ title: i.title, overdue: i.delivered_on < takeBack })
        outOf.set(i.member_id, items)
      }
      const made = stops.map((s) => ({
        ...s,
        out: outOf.get(s.member_id) ?? [],
        access: null as { access_notes: string; emergency_contact: string } | null,
      }))
      return made
    })
  }

  return {
    /** The seam for a module built after this one: it answers whether a deliverer may go out. */
    checkDeliverersWith(check: DelivererCheck): void {
      delivererRefusal = check
    },

    async list(user: StaffUser) {
      requirePermission(user, 'home-library.view')
      return repo.list(db, scopeFilter(user))
    },

    async deliverers(user: StaffUser, boroughId: string) {
      requirePermission(user, 'home-library.manage')
      requireInScope(user, boroughId)
      return deliverers(user, boroughId)
    },

    async create(user: StaffUser, boroughId: string, input: RoundInput, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'home-library.manage')
      requireInScope(user, boroughId)
      if (!(await listBoroughs(db)).some((b) => b.id === boroughId))
        throw new Invalid('homeLibrary.errors.borough', 'borough')
      const deliverer = (await deliverers(user, boroughId)).find((d) => d.id === input.deliverer)
      if (!deliverer) throw new Invalid('homeLibrary.errors.deliverer', 'deliverer')
      const refused = await delivererRefusal(deliverer.id)
      if (refused) throw new Invalid(refused, 'deliverer')
      const id = newId()
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        await repo.insert(tx, {
          id,
          borough_id: boroughId,
          name: input.name,
          library: input.library,
          weekday: input.weekday,
          deliverer_user_id: deliverer.id,
          deliverer_name: deliverer.name,
          created_at: now,
          updated_at: now,
        })
        await audit.record(tx, ctx, {
          action: 'home-library.round-created',
          recordType: 'home-library-round',
          recordId: id,
        })
      })
      return id
    },

    /** The round, its stops, and the members of its borough who could be added. */
    async get(user: StaffUser, id: string) {
      requirePermission(user, 'home-library.view')
      const round = await roundInScope(user, id)
      const stops = await repo.stops(db, id)
      const on = new Set(stops.map((s) => s.member_id))
      const candidates = (await members.current(db, round.borough_id)).filter((m) => !on.has(m.id))
      return { round, stops, candidates: candidates.map((m) => ({ id: m.id, name: m.name })) }
    },

    /** A member joins the end of the round; a member already on another round that weekday is refused. */
    async addStop(user: StaffUser, id: string, memberId: string, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'home-library.manage')
      const round = await roundInScope(user, id)
      const member = await members.find(db, memberId)
      if (!member || member.borough_id !== round.borough_id || member.status === 'left')
        throw new Invalid('homeLibrary.errors.member', 'member')
      try {
        await db.transaction().execute(async (tx) => {
          if (await repo.memberStopOn(tx, memberId, round.weekday))
            throw new Invalid('homeLibrary.errors.twoRounds', 'member')
          const position = (await repo.lastPosition(tx, id)) + 1
          await repo.insertStop(tx, {
            id: newId(),
            round_id: id,
            member_id: memberId,
            weekday: round.weekday,
            position,
          })
          await audit.record(tx, ctx, {
            action: 'home-library.stop-added',
            recordType: 'home-library-round',
            recordId: id,
            fields: ['member'],
          })
        })
      } catch (error) {
        // Two coordinators adding the member to two rounds at once: the unique index keeps one.
        if (isUniqueViolation(error)) throw new Invalid('homeLibrary.errors.twoRounds', 'member')
        throw error
      }
    },

    /** Moves a stop one place up or down (swapping with its neighbour), or takes it off the round. */
    async moveStop(
      user: StaffUser,
      id: string,
      stopId: string,
      direction: 'up' | 'down' | 'remove',
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'home-library.manage')
      await roundInScope(user, id)
      await db.transaction().execute(async (tx) => {
        const stops = await repo.stops(tx, id)
        const at = stops.findIndex((s) => s.id === stopId)
        const stop = stops[at]
        if (!stop) throw new NotFound()
        if (direction === 'remove') await repo.deleteStop(tx, stopId)
        else {
          const other = stops[direction === 'up' ? at - 1 : at + 1]
          if (!other) return
          await repo.setPosition(tx, stop.id, other.position)
          await repo.setPosition(tx, other.id, stop.position)
        }
        await audit.record(tx, ctx, {
          action: direction === 'remove' ? 'home-library.stop-removed' : 'home-library.stop-moved',
          recordType: 'home-library-round',
          recordId: id,
        })
      })
    },

    /**
     * The round sheet for its next day out: stops in order, each member's planned visit, items out and
     * preferences. The deliverer's copy adds access notes and emergency contacts (their view is audited);
     * the office copy never has them.
     */
    async sheet(user: StaffUser, id: string, copy: 'office' | 'deliverer', ctx: AuditContext) {
      requirePermission(user, 'home-library.view')
      const round = await roundInScope(user, id)
      const day = nextRun(round, londonToday())
      const stops = await sheetStops(id, day)
      const deliverersCopy = copy === 'deliverer' && can(user, 'home-library.access-notes')
      if (!deliverersCopy) return { round, day, deliverersCopy, stops }
      const notes = new Map((await repo.accessNotes(db, id)).map((n) => [n.member_id, n]))
      // One audit row for each member whose notes are shown, written together.
      await audit.recordAll(
        db,
        ctx,
        stops.map((s) => ({
          action: 'home-library.access-notes-viewed',
          recordType: 'home-library-member',
          recordId: s.member_id,
          fields: ['access_notes', 'emergency_contact'],
        })),
      )
      return {
        round,
        day,
        deliverersCopy,
        stops: stops.map((s) => ({ ...s, access: notes.get(s.member_id) ?? null })),
      }
    },

    roundsOf: (memberId: string) => repo.roundsOf(db, memberId),

    /**
     * For a module that plans around rounds (the volunteers' rota), after its own permission check: the
     * rounds of the caller's boroughs, and a round's next runs, bank holidays moved as the sheet moves them.
     */
    roundsFor: (user: StaffUser) => repo.list(db, scopeFilter(user)),
    async comingRuns(user: StaffUser, id: string, weeks: number) {
      const round = await roundInScope(user, id)
      const days: string[] = []
      for (let from = londonToday(); days.length < weeks; ) {
        const day = nextRun(round, from)
        days.push(day)
        from = addDays(day, 1)
      }
      return { round, days }
    },
  }
}

export type RoundService = ReturnType<typeof roundService>
