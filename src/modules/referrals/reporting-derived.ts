import type { REPORTING_ANSWERS, REPORTING_QUESTIONS } from './refer.schemas.ts'

type Question = (typeof REPORTING_QUESTIONS)[number]
type Answer = (typeof REPORTING_ANSWERS)[number]

/** What the resident's other answers already say, so that they are not asked again. */
export interface Known {
  dateOfBirth?: string
  ageRange?: string
  noFixedAddress?: boolean
}

/** Whole years between a date of birth and a day, both YYYY-MM-DD. */
function age(dateOfBirth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4))
  return today.slice(5) < dateOfBirth.slice(5) ? years - 1 : years
}

/** The youngest and oldest ages of a range code ("60-69", "80-or-over", "under-18"). */
function rangeBounds(range: string): { min: number; max: number } | null {
  const between = /^(\d+)-(\d+)$/.exec(range)
  if (between) return { min: Number(between[1]), max: Number(between[2]) }
  const over = /^(\d+)-or-over$/.exec(range)
  if (over) return { min: Number(over[1]), max: Number.POSITIVE_INFINITY }
  const under = /^under-(\d+)$/.exec(range)
  if (under) return { min: 0, max: Number(under[1]) - 1 }
  return null
}

/**
 * The counting questions answered by what is already known: "aged 60 or over?" from the date of birth or
 * the age range (when the range does not straddle 60), "homeless?" from having no fixed address. A
 * home address says nothing either way, so "homeless?" is still asked then.
 */
export function derivedReporting(known: Known, today: string): Partial<Record<Question, Answer>> {
  const derived: Partial<Record<Question, Answer>> = {}
  if (known.dateOfBirth) derived.over60 = age(known.dateOfBirth, today) >= 60 ? 'yes' : 'no'
  else if (known.ageRange) {
    const bounds = rangeBounds(known.ageRange)
    if (bounds && bounds.min >= 60) derived.over60 = 'yes'
    else if (bounds && bounds.max < 60) derived.over60 = 'no'
  }
  if (known.noFixedAddress) derived.homeless = 'yes'
  return derived
}
