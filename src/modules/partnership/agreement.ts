/**
 * Data-sharing agreements: what the ICO's data sharing code expects an agreement to say, its status, and
 * the one rule of point 2: a disclosure is allowed only under an agreement in force, with this partner,
 * for this purpose, covering every data item disclosed.
 */
export const AGREEMENT_STATUSES = ['draft', 'in-force', 'lapsed', 'ended'] as const
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number]

/** Why a resident's data goes to a partner: the uses the referrals module asks about. */
export const PURPOSES = ['referral', 'referral-status'] as const
export type Purpose = (typeof PURPOSES)[number]

/** What may be shared, item by item. */
export const DATA_ITEMS = [
  'name',
  'contact-details',
  'address',
  'date-of-birth',
  'needs',
  'health',
  'referral-status',
] as const
export type DataItem = (typeof DATA_ITEMS)[number]

export const PARTNER_TYPES = [
  'council',
  'library',
  'charity',
  'nhs',
  'adult-learning',
  'housing',
  'business',
  'other',
] as const

const NEXT: Record<AgreementStatus, readonly AgreementStatus[]> = {
  draft: ['in-force', 'ended'],
  'in-force': ['lapsed', 'ended'],
  lapsed: ['in-force', 'ended'],
  ended: [],
}

export function canMove(from: AgreementStatus, to: AgreementStatus): boolean {
  return NEXT[from].includes(to)
}

export function nextStatuses(from: AgreementStatus): readonly AgreementStatus[] {
  return NEXT[from]
}

export interface AgreementTerms {
  status: AgreementStatus
  purposes: readonly string[]
  dataItems: readonly string[]
  startsOn: string
  reviewOn: string
}

/** In force on `today` (YYYY-MM-DD): signed into force, started, and not past its review date. */
export function inForce(a: AgreementTerms, today: string): boolean {
  return a.status === 'in-force' && a.startsOn <= today && today <= a.reviewOn
}

/** Whether the agreement covers this disclosure on `today`. */
export function covers(
  a: AgreementTerms,
  disclosure: { purpose: string; dataItems: readonly string[] },
  today: string,
): boolean {
  return (
    inForce(a, today) &&
    a.purposes.includes(disclosure.purpose) &&
    disclosure.dataItems.every((item) => a.dataItems.includes(item))
  )
}

/** An agreement in force whose review date falls within `days` of `today`: the lead is warned once. */
export function lapsingWithin(a: AgreementTerms, today: string, days: number): boolean {
  return a.status === 'in-force' && today <= a.reviewOn && a.reviewOn <= addDays(today, days)
}

/** In force but past its review date: it lapses. */
export function pastReview(a: AgreementTerms, today: string): boolean {
  return a.status === 'in-force' && a.reviewOn < today
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10)
}
