import type { ReferralTable } from './referral.repository.ts'
import type { NeedKind, NeedState, Outcome } from './referral.ts'
import type { CONTACT_ATTEMPT_METHODS, CONTACT_ATTEMPT_RESULTS } from './staff.schemas.ts'

/**
 * The words staff and partners see for the codes of a referral: one table, used by every staff view,
 * the queue's filters and a partner's list of their referrals. Codes stay in the database and the API.
 * A state's tag colour says roughly where it stands: new (blue), being looked at (teal), waiting on
 * someone (yellow, orange), arranged (purple, magenta), done (green, grey), turned down (red).
 */
export const STATE_LABELS: Record<NeedState, { text: string; tag: string }> = {
  submitted: { text: 'Submitted', tag: '' },
  'in-triage': { text: 'In triage', tag: 'govuk-tag--teal' },
  'needs-information': { text: 'Needs information', tag: 'govuk-tag--yellow' },
  routed: { text: 'Routed to a team', tag: 'govuk-tag--purple' },
  waitlisted: { text: 'On a waiting list', tag: 'govuk-tag--orange' },
  scheduled: { text: 'Scheduled', tag: 'govuk-tag--magenta' },
  'in-progress': { text: 'In progress', tag: 'govuk-tag--magenta' },
  'outcome-recorded': { text: 'Outcome recorded', tag: 'govuk-tag--green' },
  closed: { text: 'Closed', tag: 'govuk-tag--grey' },
  declined: { text: 'Declined', tag: 'govuk-tag--red' },
  withdrawn: { text: 'Withdrawn', tag: 'govuk-tag--grey' },
}

export const OUTCOME_LABELS: Record<Outcome, string> = {
  'got-help': 'Got help',
  'could-not-contact': 'Could not contact',
  'not-eligible': 'Not eligible',
  'referred-elsewhere': 'No capacity, referred elsewhere',
  'no-longer-needed': 'No longer needed',
  'did-not-attend': 'Did not attend',
}

export const NEED_KIND_LABELS: Record<NeedKind, string> = {
  device: 'A device',
  connectivity: 'Connectivity (SIM card or data)',
  skills: 'Digital skills',
  'home-library': 'Home Library Service',
  other: 'Something else',
}

/** The referral's overall status, from its needs. */
export const REFERRAL_STATUS_LABELS: Record<ReferralTable['status'], { text: string; tag: string }> = {
  submitted: { text: 'Submitted', tag: '' },
  'in-progress': { text: 'In progress', tag: 'govuk-tag--magenta' },
  closed: { text: 'Closed', tag: 'govuk-tag--grey' },
}

export const METHOD_LABELS: Record<(typeof CONTACT_ATTEMPT_METHODS)[number], string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
  'in-person': 'In person',
  'support-worker': 'Through their support worker',
}

export const RESULT_LABELS: Record<(typeof CONTACT_ATTEMPT_RESULTS)[number], string> = {
  spoke: 'Spoke to them',
  'no-answer': 'No answer',
  voicemail: 'Left a voicemail',
  'wrong-number': 'Wrong number',
  'message-sent': 'Message sent',
}

/** What each kind of history entry is called on the case page. */
export const EVENT_LABELS: Record<string, string> = {
  submitted: 'Referral received',
  status: 'Request moved',
  note: 'Note',
  'contact-attempt': 'Contact attempt',
  assigned: 'Assignment changed',
  transferred: 'Transferred',
  'person-merged': 'Person records merged',
}

function lookup<T>(table: Record<string, T>, code: string | null | undefined, fallback: (c: string) => T): T {
  if (!code) return fallback('')
  return Object.hasOwn(table, code) ? (table[code] as T) : fallback(code)
}

/** For the views: a tag's parameters for a state, and the words for every other code. */
export const labels = {
  stateTag: (s: string) => {
    const l = lookup<{ text: string; tag: string }>(STATE_LABELS, s, (c) => ({ text: c, tag: '' }))
    return { text: l.text, classes: l.tag }
  },
  referralTag: (s: string) => {
    const l = lookup<{ text: string; tag: string }>(REFERRAL_STATUS_LABELS, s, (c) => ({ text: c, tag: '' }))
    return { text: l.text, classes: l.tag }
  },
  state: (s: string) => lookup(STATE_LABELS, s, (c) => ({ text: c, tag: '' })).text,
  outcome: (o: string | null) => lookup<string>(OUTCOME_LABELS, o, (c) => c),
  kind: (k: string) => lookup<string>(NEED_KIND_LABELS, k, (c) => c),
  method: (m: string) => lookup<string>(METHOD_LABELS, m, (c) => c),
  result: (r: string) => lookup<string>(RESULT_LABELS, r, (c) => c),
  event: (e: string) => lookup<string>(EVENT_LABELS, e, (c) => c),
}

/** Items for a select or radios: the code as value, the words as text. */
export function labelledItems(codes: readonly string[], word: (code: string) => string) {
  return codes.map((c) => ({ value: c, text: word(c) }))
}
