import { can, requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import { matchKey } from './already-read.ts'
import { visitCounts } from './figures.ts'
import type { ItemInput } from './home-library.schemas.ts'
import { type ItemTable, memberRepository as members, type VisitTable } from './member.repository.ts'
import { type MissedReason, pausedOn, USUAL_LOAN_WEEKS } from './member.ts'
import { visitRowsOf } from './planner.ts'
import { isWorkingDay, nextWorkingDay } from './schedule.ts'
import { visitRepository as repo } from './visit.repository.ts'

export interface VisitRecord {
  outcome: 'done' | 'missed'
  missedReason?: MissedReason
  items: ItemInput[]
  /** Ids of the member's items taken back. */
  collected: string[]
  digitalMinutes: number
  digitalHelp: string
  /** The chooser was warned that a title was had before, and sends it anyway. */
  sendAgain: boolean
}

/** An earlier delivery of a title now chosen again. */
export interface Repeat {
  title: string
  author: string
  deliveredOn: string
}

/** Items delivered before this day have been out longer than usual on `today`. */
export function outLongerThanUsualBefore(today: string): string {
  return addDays(today, -USUAL_LOAN_WEEKS * 7)
}

/** Overdue, kindly: listed for the next visit, never fined. */
export function outLongerThanUsual(item: Pick<ItemTable, 'delivered_on'>, today: string): boolean {
  return item.delivered_on < outLongerThanUsualBefore(today)
}

/** Visits: planning from each member's schedule, the doorstep page and recording what happened. */
export function visitService(platform: Platform, deps: { bankHolidays: ReadonlySet<string> }) {
  const { database, audit } = platform
  const { db } = database
  const { bankHolidays } = deps

  async function visitInScope(user: StaffUser, id: string): Promise<VisitTable> {
    const visit = isUuid(id) ? await repo.find(db, id) : undefined
    if (!visit) throw new NotFound()
    requireInScope(user, visit.borough_id)
    return visit
  }

  async function repeatsOf(memberId: string, items: readonly ItemInput[]): Promise<Repeat[]> {
    const keys = items.map((i) => matchKey(i.title, i.author))
    const earlier = await repo.deliveredMatching(db, memberId, keys)
    return items.flatMap((i, n) => {
      const before = earlier.filter((e) => e.match_key === keys[n])
      if (!before.length) return []
      const last = before.reduce((a, b) => (a.delivered_on > b.delivered_on ? a : b))
      return [{ title: i.title, author: i.author, deliveredOn: last.delivered_on }]
    })
  }

  return {
    async planned(user: StaffUser, weeks: number) {
      requirePermission(user, 'home-library.view')
      const today = londonToday()
      return repo.planned(db, scopeFilter(user), today, addDays(today, weeks * 7))
    },

    /** Plans every current member of the caller's boroughs for the coming weeks; answers visits added. */
    async plan(user: StaffUser, weeks: number, ctx: AuditContext): Promise<number> {
      requirePermission(user, 'home-library.manage')
      const scope = scopeFilter(user)
      const today = londonToday()
      const until = addDays(today, weeks * 7)
      let added = 0
      for (const borough of await listBoroughs(db)) {
        if (scope && !scope.includes(borough.id)) continue
        const current = await members.current(db, borough.id)
        await db.transaction().execute(async (tx) => {
          // Every member's rows in a few inserts of 200, not an insert for each member.
          const rows = current.flatMap((m) => visitRowsOf(m, today, until, bankHolidays))
          added += await repo.insertVisits(tx, rows)
          await audit.record(tx, ctx, {
            action: 'home-library.visits-planned',
            recordType: 'borough',
            recordId: borough.id,
          })
        })
      }
      return added
    },

    /** What the doorstep page shows: the visit, items out, titles had before. */
    async page(user: StaffUser, id: string) {
      requirePermission(user, 'home-library.view')
      const visit = await visitInScope(user, id)
      const member = await members.find(db, visit.member_id)
      if (!member) throw new NotFound()
      const today = londonToday()
      const out = (await repo.out(db, [member.id])).map((i) => ({
        ...i,
        overdue: outLongerThanUsual(i, today),
      }))
      const delivered = await repo.delivered(db, member.id)
      const { access_notes: _n, emergency_contact: _c, ...view } = member
      return { visit, member: view, out, delivered, canRecord: can(user, 'home-library.manage') }
    },

    /** Titles chosen for this visit that the member has had before. */
    async repeats(user: StaffUser, id: string, items: readonly ItemInput[]): Promise<Repeat[]> {
      requirePermission(user, 'home-library.view')
      const visit = await visitInScope(user, id)
      return repeatsOf(visit.member_id, items)
    },

    /**
     * Done (items delivered and collected, digital help) or missed with a reason, which plans the visit
     * again on the next working day. Everything in one transaction: a refusal saves nothing.
     */
    async record(user: StaffUser, id: string, input: VisitRecord, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'home-library.manage')
      const visit = await visitInScope(user, id)
      const member = await members.find(db, visit.member_id)
      if (!member) throw new NotFound()
      if (member.status === 'left') throw new Invalid('homeLibrary.errors.hasLeft', 'outcome')
      // Days already gone stay as they were: a pause from today does not undo last week's visit.
      if (visit.due_on >= londonToday() && pausedOn(member, visit.due_on))
        throw new Invalid('homeLibrary.errors.visitPaused', 'outcome')
      if (visit.status !== 'planned') throw new Invalid('homeLibrary.errors.alreadyRecorded', 'outcome')
      const done = input.outcome === 'done'
      if (done && input.items.length > member.max_items)
        throw new Invalid('homeLibrary.errors.tooManyItems', 'title1')
      if (done && !input.sendAgain && (await repeatsOf(member.id, input.items)).length)
        throw new Invalid('homeLibrary.errors.alreadyRead', 'sendAgain')
      await db.transaction().execute(async (tx) => {
        const claimed = await repo.record(tx, id, {
          status: input.outcome,
          missed_reason: done ? null : (input.missedReason ?? null),
          digital_minutes: done ? input.digitalMinutes : 0,
          digital_help: done ? input.digitalHelp : '',
          recorded_by_user_id: user.id,
          recorded_at: nowIso(),
        })
        if (!claimed) throw new Invalid('homeLibrary.errors.alreadyRecorded', 'outcome')
        if (done) {
          const now = nowIso()
          await repo.insertItems(
            tx,
            input.items.map((i) => ({
              id: newId(),
              member_id: member.id,
              borough_id: member.borough_id,
              visit_id: id,
              title: i.title,
              author: i.author,
              format: i.format,
              identifier: i.identifier,
              match_key: matchKey(i.title, i.author),
              delivered_on: visit.due_on,
              collected_on: null,
              created_at: now,
            })),
          )
          if ((await repo.collect(tx, member.id, input.collected, visit.due_on)) !== input.collected.length)
            throw new Invalid('homeLibrary.errors.collected', 'collected')
        } else {
          const again = nextWorkingDay(addDays(visit.due_on, 1), bankHolidays)
          if (!pausedOn(member, again))
            await repo.insertVisits(tx, [
              {
                ...visit,
                id: newId(),
                due_on: again,
                status: 'planned',
                missed_reason: null,
                created_at: nowIso(),
              },
            ])
        }
        await repo.addCounts(
          tx,
          member.borough_id,
          visit.due_on,
          visitCounts(
            { status: input.outcome, digital_minutes: done ? input.digitalMinutes : 0 },
            done ? input.items.map((i) => i.format) : [],
          ),
        )
        if (done)
          await repo.markVisited(
            tx,
            {
              member_id: member.id,
              person_id: member.person_id,
              borough_id: member.borough_id,
            },
            visit.due_on,
          )
        await audit.record(tx, ctx, {
          action: 'home-library.visit-recorded',
          recordType: 'home-library-member',
          recordId: member.id,
          fields: done
            ? [
                'outcome',
                ...(input.items.length ? ['items'] : []),
                ...(input.collected.length ? ['collected'] : []),
                ...(input.digitalMinutes ? ['digital_minutes', 'digital_help'] : []),
              ]
            : ['outcome', 'missed_reason'],
        })
      })
    },

    /** A visit beside the schedule (a catch-up, a first delivery): a working day, not paused, not past. */
    async addVisit(user: StaffUser, memberId: string, day: string, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'home-library.manage')
      const member = isUuid(memberId) ? await members.find(db, memberId) : undefined
      if (!member) throw new NotFound()
      requireInScope(user, member.borough_id)
      if (member.status === 'left') throw new Invalid('homeLibrary.errors.hasLeft', 'day')
      if (day < londonToday()) throw new Invalid('homeLibrary.errors.visitPast', 'day')
      if (!isWorkingDay(day, bankHolidays)) throw new Invalid('homeLibrary.errors.notWorkingDay', 'day')
      if (pausedOn(member, day)) throw new Invalid('homeLibrary.errors.visitPaused', 'day')
      const id = newId()
      await db.transaction().execute(async (tx) => {
        const row: VisitTable = {
          id,
          member_id: member.id,
          borough_id: member.borough_id,
          due_on: day,
          status: 'planned',
          missed_reason: null,
          digital_minutes: 0,
          digital_help: '',
          recorded_by_user_id: null,
          recorded_at: null,
          created_at: nowIso(),
        }
        if (!(await repo.insertVisits(tx, [row]))) throw new Invalid('homeLibrary.errors.visitExists', 'day')
        await audit.record(tx, ctx, {
          action: 'home-library.visit-added',
          recordType: 'home-library-member',
          recordId: member.id,
        })
      })
      return id
    },

    ofMember: (memberId: string) => repo.ofMember(db, memberId),
  }
}

export type VisitService = ReturnType<typeof visitService>
