import { randomInt } from 'node:crypto'

/**
 * The pure rules of a referral: kinds of need, the states of each need's request, which moves between
 * them are allowed, how each maps to an HL7 FHIR Task status, and the reference numbers. No I/O here.
 */

export const NEED_KINDS = ['device', 'connectivity', 'skills', 'home-library', 'other'] as const
export type NeedKind = (typeof NEED_KINDS)[number]

export const NEED_STATES = [
  'submitted',
  'in-triage',
  'needs-information',
  'routed',
  'waitlisted',
  'scheduled',
  'in-progress',
  'outcome-recorded',
  'closed',
  'declined',
  'withdrawn',
] as const
export type NeedState = (typeof NEED_STATES)[number]

export const OUTCOMES = [
  'got-help',
  'could-not-contact',
  'not-eligible',
  'referred-elsewhere',
  'no-longer-needed',
  'did-not-attend',
] as const
export type Outcome = (typeof OUTCOMES)[number]

/** HL7 FHIR R4 Task.status for each state: the one table other systems read our states through. */
export const FHIR_TASK_STATUS: Record<NeedState, string> = {
  submitted: 'requested',
  'in-triage': 'received',
  'needs-information': 'on-hold',
  routed: 'accepted',
  waitlisted: 'on-hold',
  scheduled: 'ready',
  'in-progress': 'in-progress',
  'outcome-recorded': 'completed',
  closed: 'completed',
  declined: 'rejected',
  withdrawn: 'cancelled',
}

/** Every allowed move. Anything not listed here is refused by the service, whatever a page shows. */
export const TRANSITIONS: Record<NeedState, readonly NeedState[]> = {
  submitted: ['in-triage', 'declined', 'withdrawn'],
  'in-triage': ['needs-information', 'routed', 'declined', 'withdrawn'],
  'needs-information': ['in-triage', 'outcome-recorded', 'declined', 'withdrawn'],
  routed: ['waitlisted', 'scheduled', 'in-progress', 'outcome-recorded', 'declined', 'withdrawn'],
  waitlisted: ['scheduled', 'in-progress', 'outcome-recorded', 'withdrawn'],
  scheduled: ['in-progress', 'waitlisted', 'outcome-recorded', 'withdrawn'],
  'in-progress': ['scheduled', 'outcome-recorded', 'withdrawn'],
  'outcome-recorded': ['closed'],
  closed: [],
  declined: [],
  withdrawn: [],
}

/** States in which nobody is waiting for the service to act (not counted as stale). */
export const FINISHED_STATES: readonly NeedState[] = ['outcome-recorded', 'closed', 'declined', 'withdrawn']

/** Outcomes that only make sense once help was arranged. */
const AFTER_ARRANGED: readonly NeedState[] = ['scheduled', 'in-progress']

export interface TransitionRequest {
  to: NeedState
  outcome?: Outcome
  reason?: string
  signposting?: string
}

export type TransitionRefusal =
  | 'not-allowed'
  | 'outcome-required'
  | 'outcome-not-allowed'
  | 'reason-required'
  | 'signposting-required'
  | 'too-few-contact-attempts'

export type TransitionResult =
  | { ok: true; status: NeedState; outcome: Outcome | null }
  | { ok: false; refusal: TransitionRefusal; field: 'to' | 'outcome' | 'reason' | 'signposting' }

export function isNeedState(value: unknown): value is NeedState {
  return typeof value === 'string' && (NEED_STATES as readonly string[]).includes(value)
}

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value)
}

export function allowedNext(from: NeedState): readonly NeedState[] {
  return TRANSITIONS[from]
}

/**
 * Decides one move of one need. `contactAttempts` is how many attempts are logged on the referral;
 * "could not contact" needs at least `minContactAttempts` of them.
 */
export function decideTransition(
  from: NeedState,
  request: TransitionRequest,
  facts: { contactAttempts: number; minContactAttempts: number },
): TransitionResult {
  if (!TRANSITIONS[from].includes(request.to)) return { ok: false, refusal: 'not-allowed', field: 'to' }
  if (request.to === 'outcome-recorded') {
    if (!request.outcome) return { ok: false, refusal: 'outcome-required', field: 'outcome' }
    if (request.outcome === 'did-not-attend' && !AFTER_ARRANGED.includes(from))
      return { ok: false, refusal: 'outcome-not-allowed', field: 'outcome' }
    if (request.outcome === 'could-not-contact' && facts.contactAttempts < facts.minContactAttempts)
      return { ok: false, refusal: 'too-few-contact-attempts', field: 'outcome' }
    return { ok: true, status: request.to, outcome: request.outcome }
  }
  if (request.outcome) return { ok: false, refusal: 'outcome-not-allowed', field: 'outcome' }
  if (request.to === 'declined') {
    if (!request.reason?.trim()) return { ok: false, refusal: 'reason-required', field: 'reason' }
    if (!request.signposting?.trim())
      return { ok: false, refusal: 'signposting-required', field: 'signposting' }
  }
  return { ok: true, status: request.to, outcome: null }
}

/** The referral's overall status, from its needs: what the API and the queue show first. */
export function referralStatus(needs: readonly NeedState[]): 'submitted' | 'in-progress' | 'closed' {
  if (needs.length && needs.every((s) => s === 'submitted')) return 'submitted'
  if (needs.every((s) => FINISHED_STATES.includes(s))) return 'closed'
  return 'in-progress'
}

/** A need still open and not updated since `staleBefore` (an ISO instant): flagged, and in the digest. */
export function isStale(need: { status: NeedState; updated_at: string }, staleBefore: string): boolean {
  return !FINISHED_STATES.includes(need.status) && need.updated_at < staleBefore
}

/** Whether the referrer hears about this move (accepted, declined, outcome); never the notes. */
export function tellsReferrer(to: NeedState): boolean {
  return to === 'routed' || to === 'declined' || to === 'outcome-recorded' || to === 'withdrawn'
}

// References: 8 characters with no 0/O, 1/I: easy to read aloud over the phone.
export const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const REFERENCE_LENGTH = 8

export function newReference(random: (max: number) => number = randomInt): string {
  let out = ''
  for (let i = 0; i < REFERENCE_LENGTH; i++) out += REFERENCE_ALPHABET[random(REFERENCE_ALPHABET.length)]
  return out
}

/** As shown to people: ABCD-EFGH. */
export function formatReference(reference: string): string {
  return `${reference.slice(0, 4)}-${reference.slice(4)}`
}

/** What someone typed (any case, spaces, a dash) as stored, or null if it cannot be a reference. */
export function parseReference(input: unknown): string | null {
  if (typeof input !== 'string') return null
  const compact = input.toUpperCase().replace(/[\s-]/g, '')
  if (compact.length !== REFERENCE_LENGTH) return null
  for (const c of compact) if (!REFERENCE_ALPHABET.includes(c)) return null
  return compact
}

/** The instant `days` working days before `now` (weekends and the given bank holidays skipped). */
export function workingDaysBefore(now: Date, days: number, holidays: ReadonlySet<string>): Date {
  const d = new Date(now)
  let left = days
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() - 1)
    if (isWorkingDay(d, holidays)) left--
  }
  return d
}

/** The date `days` working days after `from`, as YYYY-MM-DD: "we will contact you by ...". */
export function workingDaysAfter(from: Date, days: number, holidays: ReadonlySet<string>): string {
  const d = new Date(from)
  let left = days
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1)
    if (isWorkingDay(d, holidays)) left--
  }
  return d.toISOString().slice(0, 10)
}

function isWorkingDay(d: Date, holidays: ReadonlySet<string>): boolean {
  const day = d.getUTCDay()
  return day !== 0 && day !== 6 && !holidays.has(d.toISOString().slice(0, 10))
}

const LONDON_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  hourCycle: 'h23',
})
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

/** The daily digest goes on working days, from 7am London time. */
export function digestDue(now: Date, holidays: ReadonlySet<string>): boolean {
  const day = LONDON_DAY.format(now)
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !holidays.has(day) && Number(LONDON_HOUR.format(now)) >= 7
}
