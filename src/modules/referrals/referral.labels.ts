import type { Translate } from '#platform/i18n.ts'
import type { ReferralTable } from './referral.repository.ts'
import type { NeedState } from './referral.ts'

/**
 * The words staff and partners see for the codes of a referral come from this module's locale file
 * (`triage.states`, `triage.outcomes`, ...), read through the page's translator: every staff view, the
 * queue's filters and a partner's list of their referrals. Codes stay in the database and the API.
 *
 * Only the tags' colours live here: a state's colour says roughly where it stands: new (blue), being
 * looked at (teal), waiting on someone (yellow, orange), arranged (purple, magenta), done (green, grey),
 * turned down (red).
 */
export const STATE_TAGS: Record<NeedState, string> = {
  submitted: '',
  'in-triage': 'govuk-tag--teal',
  'needs-information': 'govuk-tag--yellow',
  routed: 'govuk-tag--purple',
  waitlisted: 'govuk-tag--orange',
  scheduled: 'govuk-tag--magenta',
  'in-progress': 'govuk-tag--magenta',
  'outcome-recorded': 'govuk-tag--green',
  closed: 'govuk-tag--grey',
  declined: 'govuk-tag--red',
  withdrawn: 'govuk-tag--grey',
}

/** The referral's overall status, from its needs. */
const REFERRAL_STATUS_TAGS: Record<ReferralTable['status'], string> = {
  submitted: '',
  'in-progress': 'govuk-tag--magenta',
  closed: 'govuk-tag--grey',
}

/** A code's words, or the code itself for one the locale does not know (data from an older version). */
export function wordOr(t: Translate, key: string, fallback: string): string {
  try {
    return t(key)
  } catch {
    return fallback
  }
}

const tagClass = (tags: Record<string, string>, code: string) => (Object.hasOwn(tags, code) ? tags[code] : '')

/** For the views, in the page's language: a tag's parameters for a state, and the words for every other code. */
export function referralWords(t: Translate) {
  const word = (group: string) => (code: string | null | undefined) =>
    code ? wordOr(t, `triage.${group}.${code}`, code) : ''
  const state = word('states')
  const referralStatus = word('referralStatus')
  return {
    state,
    stateTag: (s: string) => ({ text: state(s), classes: tagClass(STATE_TAGS, s) ?? '' }),
    referralTag: (s: string) => ({
      text: referralStatus(s),
      classes: tagClass(REFERRAL_STATUS_TAGS, s) ?? '',
    }),
    outcome: word('outcomes'),
    kind: word('needKinds'),
    method: word('contactMethods'),
    result: word('contactResults'),
  }
}
export type ReferralWords = ReturnType<typeof referralWords>

/** Items for a select or radios: the code as value, the words as text. */
export function labelledItems(codes: readonly string[], word: (code: string) => string) {
  return codes.map((c) => ({ value: c, text: word(c) }))
}
