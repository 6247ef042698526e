import { messageKey } from '#platform/forms.ts'
import { checkState, type DbsLevel } from './volunteer.ts'

/** Shifts, training and who may go on a shift, as pure rules: no database here. */

/** The check a shift needs: an enhanced one with the barred list for one-to-ones and home visits. */
export const CHECK_NEEDS = ['none', 'basic', 'standard', 'enhanced', 'enhanced-barred'] as const
export type CheckNeed = (typeof CHECK_NEEDS)[number]

const LEVEL_RANK: Record<DbsLevel, number> = { basic: 1, standard: 2, enhanced: 3 }
const NEED_RANK: Record<CheckNeed, number> = {
  none: 0,
  basic: 1,
  standard: 2,
  enhanced: 3,
  'enhanced-barred': 3,
}

/** The courses every Hub starts with; coordinators add more. Months a completion counts for, or null. */
export const SHIPPED_COURSES: readonly { name: string; validMonths: number | null }[] = [
  { name: 'Communication', validMonths: null },
  { name: 'English as a second language awareness', validMonths: null },
  { name: 'Diversity and inclusion', validMonths: 36 },
  { name: 'Digital skills', validMonths: null },
  { name: 'Safeguarding', validMonths: 24 },
  { name: 'Data protection', validMonths: 12 },
]

/** The date a course's completion runs out, or null if it never does. */
export function expiresOn(completedOn: string, validMonths: number | null): string | null {
  if (validMonths === null) return null
  const d = new Date(`${completedOn}T12:00:00Z`)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + validMonths)
  // The same day of the month, or the month's last day (31 January plus one month is 28 or 29 February).
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d.toISOString().slice(0, 10)
}

export interface Gate {
  status: string
  check: { dbs_level: string; has_barred_list: boolean; renews_on: string } | undefined
  training: { course_id: string; expires_on: string | null }[]
}

export interface ShiftNeeds {
  check_needed: CheckNeed
  courses_json: string[]
  /** The shift's date in London: checks and training must count on that day. */
  day: string
}

/**
 * Why this volunteer may not go on this shift, as a message key, or null when they may: they must be
 * active, with the check it needs in date on the day, and each course it needs done and not run out.
 */
export function shiftRefusal(v: Gate, shift: ShiftNeeds, courseName: (id: string) => string): string | null {
  if (v.status !== 'active') return 'volunteers.rota.gate.notActive'
  if (shift.check_needed !== 'none') {
    const state = checkState(v.check, shift.day)
    if (!v.check || state === 'none') return 'volunteers.rota.gate.noCheck'
    if (state === 'lapsed') return 'volunteers.rota.gate.checkLapsed'
    const rank = LEVEL_RANK[v.check.dbs_level as DbsLevel] ?? 0
    if (
      rank < NEED_RANK[shift.check_needed] ||
      (shift.check_needed === 'enhanced-barred' && !v.check.has_barred_list)
    )
      return messageKey('volunteers.rota.gate.checkLevel', {
        level: `volunteers.rota.check.${shift.check_needed}`,
      })
  }
  for (const courseId of shift.courses_json) {
    const done = v.training.find((t) => t.course_id === courseId)
    if (!done) return messageKey('volunteers.rota.gate.noCourse', { course: courseName(courseId) })
    if (done.expires_on !== null && done.expires_on <= shift.day)
      return messageKey('volunteers.rota.gate.courseExpired', { course: courseName(courseId) })
  }
  return null
}
