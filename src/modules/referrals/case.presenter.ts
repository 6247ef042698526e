import type { Translate } from '#platform/i18n.ts'
import { formatDate, formatDateTime } from '#platform/views.ts'
import { referralWords, wordOr } from './referral.labels.ts'
import type { TriageService } from './triage.service.ts'

type Case = Awaited<ReturnType<TriageService['getCase']>>
type Event = Case['events'][number]
interface Row {
  key: { text: string }
  value: { text: string } | { html: string }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** govukTag's markup, for a summary list row's value. */
function tagHtml(tag: { text: string; classes: string }): string {
  return `<strong class="govuk-tag ${escapeHtml(tag.classes)}">${escapeHtml(tag.text)}</strong>`
}

const present = (v: unknown) =>
  !(v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length))

/**
 * The case page in words: every answer and code turned into the staff's language here, empty answers
 * left out, so the template only lays rows out. FHIR codes stay in the API and the exports.
 */
export function presentCase(t: Translate, data: Case) {
  const labels = referralWords(t)
  const word = (group: string, code: unknown) =>
    wordOr(t, `triage.answers.${group}.${String(code)}`, String(code))
  const words = (group: string, codes: unknown) =>
    (Array.isArray(codes) ? codes : [codes]).map((c) => word(group, c)).join(', ')
  const rows = (pairs: [label: string, value: unknown][]): Row[] =>
    pairs
      .filter(([, v]) => present(v))
      .map(([label, v]) => ({ key: { text: label }, value: { text: String(v) } }))
  const c = (key: string, params?: Record<string, string | number>) => t(`triage.case.${key}`, params)

  const { referral } = data
  const answers = referral.answers_json as Record<string, Record<string, unknown> | undefined>
  const r = answers.resident ?? {}
  const ref = referral.referrer_json
  const reporting = answers.reporting ?? {}

  const summary: Row[] = [
    ...rows([
      [c('received'), formatDateTime(referral.created_at)],
      [c('from'), c(`sources.${referral.source}`)],
    ]),
    { key: { text: c('status') }, value: { html: tagHtml(labels.referralTag(referral.status)) } },
    ...rows([[c('officer'), referral.assigned_name || c('notAssigned')]]),
  ]

  const needs = data.needs.map((n) => ({
    ...n,
    title: labels.kind(n.kind),
    stateTag: labels.stateTag(n.status),
    rows: rows([
      [c('team'), n.team?.name ?? n.team_code],
      ...Object.entries(n.details_json).map(([field, value]): [string, unknown] => [
        wordOr(t, `triage.answers.labels.${field}`, field),
        // Free text stays as typed; codes become words.
        ['goalOther', 'interests', 'description'].includes(field) || !present(value)
          ? value
          : words(field, value),
      ]),
      [c('outcome'), n.outcome ? labels.outcome(n.outcome) : ''],
      [c('declinedBecause'), n.declined_reason],
      [c('signposted'), n.signposting],
    ]),
    nextItems: n.next.map((s) => ({ value: s, text: labels.state(s) })),
    /** A skills request that can be scheduled: a place at a digital help session can be booked for it. */
    bookSession: n.kind === 'skills' && n.next.includes('scheduled'),
  }))

  const contact = rows([
    [c('name'), r.name],
    [c('contactBy'), present(r.contactMethods) ? words('contactMethods', r.contactMethods) : ''],
    [c('phone'), r.phone],
    [c('email'), r.email],
    [c('address'), r.address],
    [c('safe'), present(r.safe) ? words('safe', r.safe) : c('safeNone')],
    [c('language'), r.language],
    [c('interpreter'), r.interpreter ? c('yes') : ''],
    [c('accessNeeds'), r.accessNeeds],
  ])

  const resident = rows([
    [c('dob'), r.dateOfBirth ? formatDate(String(r.dateOfBirth)) : ''],
    [c('age'), r.dateOfBirth || !r.ageRange ? '' : word('ageRange', r.ageRange)],
    [c('postcode'), r.noFixedAddress ? c('noFixedAddress') : r.postcode],
    [
      c('privacy'),
      c('privacyValue', {
        version: referral.privacy_notice_version,
        at: formatDateTime(referral.consent_at),
      }),
    ],
  ])

  const referrer = ref
    ? rows([
        [c('name'), ref.name],
        [c('organisation'), ref.organisation],
        [c('role'), ref.role],
        [c('email'), ref.email],
        [c('phone'), ref.phone],
        [c('relationship'), ref.relationship],
      ])
    : []

  const counting = rows(
    Object.entries(reporting).map(([q, a]): [string, unknown] => [
      word('reporting', q),
      present(a) ? word('reportingAnswers', a) : '',
    ]),
  )

  const kindOf = new Map(data.needs.map((n) => [n.id, n.kind]))
  const history = data.events.map((e) => ({
    at: formatDateTime(e.at),
    who: e.user_name || c('system'),
    text: historyLine(t, e, kindOf, data.boroughNames),
    note: e.note,
  }))

  const duplicates = data.duplicates.map((d) => ({
    ...d,
    matchedOn: words('matchReasons', d.reasons),
  }))

  return {
    title: c('title', { reference: referral.displayReference }),
    summary,
    needs,
    contact,
    resident,
    referrer,
    counting,
    history,
    duplicates,
    contactAttemptsHeading: c('contactAttempts', { count: data.contactAttempts }),
    contactRule: c('contactRule', { count: data.minContactAttempts }),
  }
}

/** One line of the case's history, saying which request moved: "Device request moved from ... to ...". */
export function historyLine(
  t: Translate,
  e: Pick<Event, 'kind' | 'need_id' | 'from_status' | 'to_status' | 'outcome' | 'detail_json'>,
  kindOf: Map<string, string>,
  boroughNames: Record<string, string>,
): string {
  const labels = referralWords(t)
  const h = (key: string, params?: Record<string, string | number>) => t(`triage.history.${key}`, params)
  const detail = (e.detail_json ?? {}) as Record<string, string>
  switch (e.kind) {
    case 'status': {
      const kind = e.need_id ? kindOf.get(e.need_id) : undefined
      const params = {
        request: kind ? h(`requestNames.${kind}`) : h('requestNames.other'),
        from: labels.state(e.from_status ?? ''),
        to: labels.state(e.to_status ?? ''),
      }
      return e.outcome
        ? h('statusOutcome', { ...params, outcome: labels.outcome(e.outcome) })
        : h('status', params)
    }
    case 'contact-attempt':
      return h('contact-attempt', {
        method: labels.method(detail.method ?? ''),
        result: labels.result(detail.result ?? ''),
      })
    case 'assigned':
      return detail.to ? h('assigned', { to: detail.to }) : h('unassigned')
    case 'transferred':
      return h('transferred', {
        from: boroughNames[detail.from ?? ''] ?? detail.from ?? '',
        to: boroughNames[detail.to ?? ''] ?? detail.to ?? '',
      })
    default:
      return wordOr(t, `triage.history.${e.kind}`, e.kind)
  }
}
