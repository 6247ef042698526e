/**
 * The pure rules of a Home Library member: who may join, their statuses, their schedule's parts and the
 * checks a change must pass. No I/O here.
 */

export const BASES = ['housebound', 'carer', 'temporary-mobility'] as const
export type Basis = (typeof BASES)[number]

export const STATUSES = ['active', 'paused', 'left'] as const
export type MemberStatus = (typeof STATUSES)[number]

export const LEFT_REASONS = ['moved-into-care', 'died', 'no-longer-eligible', 'no-longer-wanted'] as const
export type LeftReason = (typeof LEFT_REASONS)[number]

export const FREQUENCIES = ['weekly', 'fortnightly', 'four-weekly'] as const
export type Frequency = (typeof FREQUENCIES)[number]

export const DAY_PARTS = ['morning', 'afternoon'] as const
export type DayPart = (typeof DAY_PARTS)[number]

/** Monday (1) to Friday (5): the service delivers on working days. */
export const WEEKDAYS = [1, 2, 3, 4, 5] as const

export const FORMATS = [
  'standard-print',
  'large-print',
  'audiobook-cd',
  'downloadable-audiobook',
  'daisy',
  'e-book',
  'magazine',
] as const
export type Format = (typeof FORMATS)[number]

export const COMMUNICATION_NEEDS = ['large-print-letters', 'phone-only'] as const

export const MISSED_REASONS = ['not-in', 'in-hospital', 'refused'] as const
export type MissedReason = (typeof MISSED_REASONS)[number]

/** Most items a member may have on one visit, whatever their own limit says. */
export const ITEMS_CEILING = 10

/** Weeks an item may be out before it is listed, kindly, for the next visit. No fines, ever. */
export const USUAL_LOAN_WEEKS = 8

/** Temporary mobility problems are reviewed; a review date in the past is refused. */
export function reviewDateProblem(basis: Basis, reviewOn: string | null, today: string): string | null {
  if (basis === 'temporary-mobility' && !reviewOn) return 'homeLibrary.errors.reviewRequired'
  if (reviewOn && reviewOn < today) return 'homeLibrary.errors.reviewPast'
  return null
}

/** Whether a member is paused on `day`: paused with no return date, or returning after it. */
export function pausedOn(
  member: { status: MemberStatus; paused_until: string | null },
  day: string,
): boolean {
  return member.status === 'paused' && (member.paused_until === null || day < member.paused_until)
}
