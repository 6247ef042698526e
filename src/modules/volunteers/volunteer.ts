/** Volunteers' pipeline, availability and checks as pure rules: no database here. */

export const STATUSES = [
  'applied',
  'contacted',
  'interviewed',
  'checks',
  'training',
  'active',
  'paused',
  'left',
] as const
export type VolunteerStatus = (typeof STATUSES)[number]

/** Where a volunteer may go from each step. Anyone may leave, with a reason; nobody comes back from left. */
const NEXT: Record<VolunteerStatus, readonly VolunteerStatus[]> = {
  applied: ['contacted', 'left'],
  contacted: ['interviewed', 'left'],
  interviewed: ['checks', 'left'],
  checks: ['training', 'left'],
  training: ['active', 'left'],
  active: ['paused', 'left'],
  paused: ['active', 'left'],
  left: [],
}

export function nextSteps(from: VolunteerStatus): readonly VolunteerStatus[] {
  return NEXT[from]
}

export const LEFT_REASONS = ['moved-away', 'no-time', 'found-work', 'not-suitable', 'other'] as const

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export const DAY_PARTS = ['morning', 'afternoon', 'evening'] as const
/** Each time a volunteer may be free, `mon-morning` ... `sun-evening`. */
export const SLOTS = DAYS.flatMap((d) => DAY_PARTS.map((p) => `${d}-${p}`))

export const CONSENTS = ['dbs', 'references'] as const

export const DBS_LEVELS = ['basic', 'standard', 'enhanced'] as const
export type DbsLevel = (typeof DBS_LEVELS)[number]

export interface CheckDates {
  renews_on: string
}

/**
 * Whether a volunteer's check lets them help on `day`: none recorded, lapsed (its renewal date has
 * passed) or in date. The renewal date is the day it stops counting.
 */
export function checkState(check: CheckDates | undefined, day: string): 'none' | 'lapsed' | 'in-date' {
  if (!check) return 'none'
  return check.renews_on <= day ? 'lapsed' : 'in-date'
}

/** Whole days between two dates (YYYY-MM-DD), worked out at noon UTC. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000)
}
