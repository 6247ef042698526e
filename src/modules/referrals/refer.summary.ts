import type { Translate } from '#platform/i18n.ts'
import { formatDate } from '#platform/views.ts'
import { type Answers, type JourneyContext, pagesFor, reportingAsked } from './refer.journey.ts'
import type { Boroughs } from './referral-record.ts'
import { normalisePostcode } from './rules.ts'

interface Row {
  key: { text: string }
  value: { text: string }
  actions: { items: { href: string; text: string; visuallyHiddenText: string }[] }
}

/** The check-answers page: a summary list per section, each row with a link back to its page. */
export function checkAnswerRows(t: Translate, a: Answers, ctx: JourneyContext, known: Boroughs) {
  const who = a.who?.who === 'someone-else' ? 'other' : 'self'
  const shown = new Set(pagesFor(a, ctx).map((p) => p.id))
  const v = (page: string, key: string) => a[page]?.[key]
  const str = (x: unknown) =>
    x === undefined || x === null || x === '' ? t('refer.check.notGiven') : String(x)
  const many = (prefix: string, xs: unknown) =>
    ((xs as string[] | undefined) ?? []).map((x) => t(`${prefix}.${x}`)).join(', ') ||
    t('refer.check.notGiven')
  const row = (page: string, label: string, value: string): Row => ({
    key: { text: label },
    value: { text: value },
    actions: {
      items: [
        { href: `/refer/${page}?change=1`, text: t('refer.change'), visuallyHiddenText: label.toLowerCase() },
      ],
    },
  })

  const asking: Row[] = [row('who', t('refer.check.who'), t(`refer.who.${who}`))]
  if (shown.has('referrer')) {
    const r = a.referrer ?? {}
    asking.push(
      row('referrer', t('refer.referrer.name'), str(r.name)),
      row('referrer', t('refer.referrer.organisation'), str(r.organisation)),
      row('referrer', t('refer.referrer.role'), str(r.role)),
      row('referrer', t('refer.referrer.email'), str(r.email)),
      row('referrer', t('refer.referrer.phone'), str(r.phone)),
      row('referrer', t('refer.referrer.relationship'), str(r.relationship)),
      row('consent', t('refer.check.consent'), t('refer.consent.yes')),
    )
  }

  const dobChoice = v('dob', 'choice')
  const hasAddress = v('address', 'hasAddress') === 'yes'
  const resident: Row[] = [
    row('name', t(`refer.check.name.${who}`), str(v('name', 'name'))),
    row(
      dobChoice === 'range' ? 'age-range' : dobChoice === 'date' ? 'dob-date' : 'dob',
      t(`refer.check.dob.${who}`),
      dobChoice === 'date'
        ? formatDate(String(v('dob-date', 'date')))
        : dobChoice === 'range'
          ? t(`refer.ageRange.ranges.${v('age-range', 'ageRange')}`)
          : t('refer.dob.skip'),
    ),
    hasAddress
      ? row(
          'postcode',
          t('refer.check.address'),
          normalisePostcode(String(v('postcode', 'postcode'))) ?? str(v('postcode', 'postcode')),
        )
      : row('address', t('refer.check.address'), t('refer.address.no')),
  ]
  if (shown.has('council'))
    resident.push(
      row('council', t('refer.check.council'), known.byCode.get(String(v('council', 'borough')))?.name ?? ''),
    )
  const methods = (v('contact', 'methods') as string[] | undefined) ?? []
  resident.push(row('contact', t('refer.check.contact'), many('refer.contact.methods', methods)))
  if (methods.includes('phone'))
    resident.push(row('contact', t('refer.contact.phone'), str(v('contact', 'phone'))))
  if (methods.includes('email'))
    resident.push(row('contact', t('refer.contact.email'), str(v('contact', 'email'))))
  if (methods.includes('post'))
    resident.push(row('contact', t('refer.contact.address'), str(v('contact', 'address'))))
  if (shown.has('safe'))
    resident.push(row('safe', t('refer.check.safe'), many('refer.safe.options', v('safe', 'safe'))))
  resident.push(
    row('language', t('refer.language.language'), str(v('language', 'language') || t('refer.check.english'))),
    row('language', t('refer.language.interpreter'), t(`refer.yesNo.${v('language', 'interpreter')}`)),
    row('access', t('refer.check.access'), str(v('access', 'accessNeeds'))),
  )

  const needs: Row[] = [row('needs', t('refer.check.needs'), many('refer.needKind', v('needs', 'needs')))]
  if (shown.has('need-device'))
    needs.push(
      row('need-device', t('refer.device.title'), t(`refer.device.types.${v('need-device', 'deviceType')}`)),
    )
  if (shown.has('need-connectivity'))
    needs.push(
      row(
        'need-connectivity',
        t('refer.connectivity.title'),
        t(`refer.connectivity.options.${v('need-connectivity', 'option')}`),
      ),
    )
  if (shown.has('need-skills')) {
    needs.push(
      row('need-skills', t('refer.skills.waysTitle'), many('refer.skills.ways', v('need-skills', 'ways'))),
      row('need-skills', t('refer.skills.goalsTitle'), many('refer.skills.goals', v('need-skills', 'goals'))),
    )
    if (v('need-skills', 'goalOther'))
      needs.push(row('need-skills', t('refer.skills.goalOther'), str(v('need-skills', 'goalOther'))))
  }
  if (shown.has('need-home-library'))
    needs.push(
      row(
        'need-home-library',
        t('refer.check.hlsReason'),
        t(`refer.homeLibrary.reasons.${v('need-home-library', 'reason')}`),
      ),
      row('need-home-library', t('refer.homeLibrary.interests'), str(v('need-home-library', 'interests'))),
    )
  if (shown.has('need-other'))
    needs.push(row('need-other', t('refer.other.title'), str(v('need-other', 'description'))))

  const reporting = reportingAsked(a).map((q) =>
    row(
      'reporting',
      t(`refer.reporting.questions.${q}.${who}`),
      v('reporting', q) ? t(`refer.reporting.answers.${v('reporting', q)}`) : t('refer.check.notGiven'),
    ),
  )

  return [
    { title: t('refer.check.asking'), rows: asking },
    { title: t(`refer.check.resident.${who}`), rows: resident },
    { title: t('refer.check.help'), rows: needs },
    { title: t('refer.check.reporting'), rows: reporting },
  ]
}
