import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import type { Executor } from '#platform/database.ts'
import { NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { PersonService } from '../people/index.ts'
import { sessionRepository as sessions } from './session.repository.ts'
import { skillsRepository as repo } from './skills.repository.ts'
import {
  type Answers,
  type Assessment,
  gainsBetween,
  SKILLS,
  type SkillLevel,
  skillsGained,
} from './skills.ts'

type AnswerRow = Awaited<ReturnType<typeof repo.assessments>>[number]

/** Rows of answers, oldest first, as one assessment each. */
function grouped(rows: readonly AnswerRow[]): (Assessment & { id: string })[] {
  const byId = new Map<string, Assessment & { id: string }>()
  for (const r of rows) {
    const a = byId.get(r.id) ?? {
      id: r.id,
      personId: r.person_id,
      boroughId: r.borough_id,
      assessedAt: r.assessed_at,
      answers: {} as Answers,
    }
    a.answers[r.skill as keyof Answers] = r.level
    byId.set(r.id, a)
  }
  return [...byId.values()]
}

/** Learners' Essential Digital Skills: a check at a session (the first is the baseline), progress, figures. */
export function skillsService(
  platform: Platform,
  deps: { people: Pick<PersonService, 'create'>; now?: () => Date },
) {
  const { database, audit } = platform
  const { db } = database
  const now = deps.now ?? (() => new Date())

  async function bookingInScope(user: StaffUser, bookingId: string, tx: Executor = db) {
    const booking = isUuid(bookingId) ? await sessions.findBooking(tx, bookingId) : undefined
    if (!booking || booking.status !== 'booked') throw new NotFound()
    requireInScope(user, booking.borough_id)
    return booking
  }

  return {
    /** Whose check it is, at which session, and whether it will be their baseline. */
    async checkFor(user: StaffUser, bookingId: string) {
      requirePermission(user, 'sessions.register')
      const booking = await bookingInScope(user, bookingId)
      const occurrence = await sessions.findOccurrence(db, booking.occurrence_id)
      if (!occurrence) throw new NotFound()
      const baseline = !booking.person_id || !(await repo.hasAssessment(db, booking.person_id))
      return { name: booking.name, occurrence, baseline }
    },

    /**
     * Records a check with the learner at a session. Someone who booked without a person record (online,
     * by themselves) gets one now, so their progress can be followed from one session to the next.
     */
    async assess(
      user: StaffUser,
      input: { bookingId: string; answers: Record<(typeof SKILLS)[number], SkillLevel> },
      ctx: AuditContext,
    ): Promise<string> {
      requirePermission(user, 'sessions.register')
      return db.transaction().execute(async (tx) => {
        const booking = await bookingInScope(user, input.bookingId, tx)
        const at = now().toISOString()
        const personId =
          booking.person_id ??
          (await deps.people.create(
            tx,
            {
              boroughId: booking.borough_id,
              fullName: booking.name,
              dateOfBirth: null,
              ageRange: null,
              phone: booking.phone,
              email: booking.email,
              postcode: null,
              preferredLanguage: null,
            },
            ctx,
          ))
        if (!booking.person_id) await sessions.linkPerson(tx, booking.id, personId, at)
        const id = newId()
        await repo.insertAssessment(
          tx,
          {
            id,
            borough_id: booking.borough_id,
            person_id: personId,
            booking_id: booking.id,
            recorded_by_user_id: user.id,
            assessed_at: at,
          },
          SKILLS.map((skill) => ({ id: newId(), assessment_id: id, skill, level: input.answers[skill] })),
        )
        await audit.record(tx, ctx, {
          action: 'sessions.skills-checked',
          recordType: 'person',
          recordId: personId,
          fields: ['skills'],
        })
        return personId
      })
    },

    /** A learner's page: their sessions, every check over time and the skills gained since the first. */
    async learner(user: StaffUser, personId: string, ctx: AuditContext) {
      requirePermission(user, 'sessions.view')
      if (!isUuid(personId)) throw new NotFound()
      const scope = scopeFilter(user)
      const [bookings, rows] = await Promise.all([
        repo.learnerBookings(db, personId, scope),
        repo.assessments(db, { personId }, scope),
      ])
      // Someone known only in another borough is as unknown as someone who does not exist.
      if (!bookings.length && !rows.length) throw new NotFound()
      await audit.record(db, ctx, {
        action: 'sessions.learner-viewed',
        recordType: 'person',
        recordId: personId,
      })
      const assessments = grouped(rows)
      const first = assessments[0]
      const last = assessments.at(-1)
      return {
        name: bookings.at(-1)?.name ?? '',
        bookings,
        attended: bookings.reduce((n, b) => n + Number(b.attended ?? 0), 0),
        assessments,
        gained: first && last && first !== last ? skillsGained(first.answers, last.answers) : [],
      }
    },

    /**
     * Per borough in a period (ISO instants, end excluded): learners (people with a check in it), dates
     * they attended, and skills gained (each learner's skill once, when a follow-up first shows it held).
     */
    async figures(user: StaffUser, from: string, to: string) {
      requirePermission(user, 'sessions.view')
      const scope = scopeFilter(user)
      const [rows, attendance] = await Promise.all([
        repo.assessments(db, { assessedFrom: from, before: to }, scope),
        repo.learnerAttendance(db, scope, from, to),
      ])
      const assessments = grouped(rows)
      const byBorough = new Map<string, { learners: Set<string>; attended: number; gained: number }>()
      const line = (boroughId: string) => {
        const found = byBorough.get(boroughId) ?? { learners: new Set<string>(), attended: 0, gained: 0 }
        byBorough.set(boroughId, found)
        return found
      }
      for (const a of assessments)
        if (a.assessedAt >= from && a.assessedAt < to) line(a.boroughId).learners.add(a.personId)
      for (const a of attendance) line(a.borough_id).attended += Number(a.n)
      for (const g of gainsBetween(assessments, from, to)) line(g.boroughId).gained++
      return [...byBorough].map(([boroughId, l]) => ({
        boroughId,
        learners: l.learners.size,
        attended: l.attended,
        gained: l.gained,
      }))
    },

    /** Inside a person merge: checks follow the record kept. */
    followMerge: (tx: Executor, fromId: string, toId: string) => repo.movePerson(tx, fromId, toId),
  }
}

export type SkillsService = ReturnType<typeof skillsService>
