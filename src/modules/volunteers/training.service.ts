import { requireInScope, requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import { rotaRepository as repo, type TrainingTable } from './rota.repository.ts'
import { expiresOn, SHIPPED_COURSES } from './rota.ts'
import { type VolunteerTable, volunteerRepository as volunteers } from './volunteer.repository.ts'
import type { CourseInput, TrainingInput } from './volunteers.schemas.ts'

/** Volunteers and coordinators are told this many days before a course's completion runs out. */
export const TRAINING_REMINDER_DAYS = 30

/**
 * Training as data: the courses, each volunteer's completions and when they run out, and the reminders
 * before they do. The rota asks it what a volunteer has done before letting them take a shift.
 */
export function trainingService(platform: Platform, deps: { accounts: Pick<AccountService, 'emailsFor'> }) {
  const { database, audit, outbox, config } = platform
  const { db } = database

  async function volunteerInScope(user: StaffUser, id: string): Promise<VolunteerTable> {
    const v = isUuid(id) ? await volunteers.find(db, id) : undefined
    if (!v) throw new NotFound()
    requireInScope(user, v.borough_id)
    return v
  }

  return {
    /** The shipped courses, at every start; a coordinator's own are kept. */
    async loadCourses(): Promise<void> {
      for (const c of SHIPPED_COURSES)
        await repo.addCourse(db, {
          id: newId(),
          name: c.name,
          valid_months: c.validMonths,
          created_at: nowIso(),
        })
    },

    async courses(user: StaffUser) {
      requirePermission(user, 'volunteers.view')
      return repo.courses(db)
    },

    async addCourse(user: StaffUser, input: CourseInput, ctx: AuditContext): Promise<void> {
      requirePermission(user, 'volunteers.manage')
      const id = newId()
      await db.transaction().execute(async (tx) => {
        const added = await repo.addCourse(tx, {
          id,
          name: input.name,
          valid_months: input.validMonths ?? null,
          created_at: nowIso(),
        })
        if (!added) throw new Invalid('volunteers.rota.errors.courseExists', 'name')
        await audit.record(tx, ctx, {
          action: 'volunteers.course-added',
          recordType: 'volunteer-course',
          recordId: id,
        })
      })
    },

    /** A volunteer's courses: each done, when it runs out, and whether it has. */
    async training(user: StaffUser, volunteerId: string) {
      requirePermission(user, 'volunteers.view')
      await volunteerInScope(user, volunteerId)
      return trainingOf(volunteerId)
    },

    async recordTraining(user: StaffUser, volunteerId: string, input: TrainingInput, ctx: AuditContext) {
      requirePermission(user, 'volunteers.manage')
      await volunteerInScope(user, volunteerId)
      const course = (await repo.courses(db)).find((c) => c.id === input.course)
      if (!course) throw new Invalid('volunteers.rota.errors.course', 'course')
      if (input.completedOn > londonToday())
        throw new Invalid('volunteers.rota.errors.completedFuture', 'completedOn')
      await db.transaction().execute(async (tx) => {
        await repo.saveTraining(tx, {
          id: newId(),
          volunteer_id: volunteerId,
          course_id: course.id,
          completed_on: input.completedOn,
          expires_on: expiresOn(input.completedOn, course.valid_months),
          evidence: input.evidence,
          expiry_reminded_at: null,
          updated_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'volunteers.training-recorded',
          recordType: 'volunteer',
          recordId: volunteerId,
          fields: ['training'],
        })
      })
    },

    /**
     * Tells each volunteer, and their coordinators, of a course running out within the set days; each
     * completion once, its mark and the messages in one transaction. Answers how many were reminded.
     */
    async remindTraining(today = londonToday()): Promise<number> {
      const due = await repo.expiring(db, addDays(today, TRAINING_REMINDER_DAYS))
      for (const t of due) {
        const coordinators = await deps.accounts.emailsFor({
          permission: 'volunteers.manage',
          boroughId: t.borough_id,
        })
        await db.transaction().execute(async (tx) => {
          const personalisation = {
            name: t.name,
            course: t.course,
            expiresOn: t.expires_on ?? '',
            link: `${config.publicUrl}/staff/volunteers/${t.volunteer_id}`,
          }
          await outbox.enqueue(tx, {
            channel: 'email',
            template: 'volunteers-training-expiring',
            recipient: t.email,
            boroughId: t.borough_id,
            personalisation: { ...personalisation, link: `${config.publicUrl}/staff/volunteering` },
          })
          for (const email of coordinators)
            await outbox.enqueue(tx, {
              channel: 'email',
              template: 'volunteers-training-expiring-coordinator',
              recipient: email,
              boroughId: t.borough_id,
              personalisation,
            })
          await repo.markReminded(tx, t.id, nowIso())
        })
      }
      return due.length
    },

    // What the rota's gate needs. No access checks here: the rota's callers have made them already.

    /** A volunteer's courses with names and whether each has run out, for their own page. */
    trainingOf,

    /**
     * A volunteer's completions as stored, on the executor given: the rota checks them again inside the
     * transaction that takes a place.
     */
    completions(executor: Executor, volunteerId: string): Promise<TrainingTable[]> {
      return repo.training(executor, volunteerId)
    },

    /** The completions of many volunteers at once (a shift's candidates). */
    completionsOfEach(volunteerIds: readonly string[]): Promise<TrainingTable[]> {
      return repo.trainingOfEach(db, volunteerIds)
    },

    /** Each course's name by its id (the id itself when not found), for refusal reasons. */
    async courseNames(): Promise<(id: string) => string> {
      const names = new Map((await repo.courses(db)).map((c) => [c.id, c.name]))
      return (id) => names.get(id) ?? id
    },

    /** Refuses a shift that asks for a course nobody could have done. */
    async checkCourses(ids: readonly string[]): Promise<void> {
      const known = new Set((await repo.courses(db)).map((c) => c.id))
      if (ids.some((id) => !known.has(id))) throw new Invalid('volunteers.rota.errors.courses', 'courses')
    },
  }

  async function trainingOf(volunteerId: string) {
    const [done, courses] = await Promise.all([repo.training(db, volunteerId), repo.courses(db)])
    const today = londonToday()
    return done.map((t) => ({
      ...t,
      course: courses.find((c) => c.id === t.course_id)?.name ?? '',
      expired: t.expires_on !== null && t.expires_on <= today,
    }))
  }
}

export type TrainingService = ReturnType<typeof trainingService>
