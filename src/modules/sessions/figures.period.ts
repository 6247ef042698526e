import { addDays, londonToUtc, londonWallClock } from '#platform/london.ts'

/** The two months a figures page asks for, as GOV.UK date inputs of a month and a year. */
export const PERIOD_MONTHS = ['from', 'to'] as const
type Query = Record<string, string | undefined>

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

/** A month typed as month and year (`from-month`, `from-year`); else YYYY-MM from a link; else nothing. */
function askedMonth(query: Query, name: string): string | 'invalid' | undefined {
  const month = (query[`${name}-month`] ?? '').trim()
  const year = (query[`${name}-year`] ?? '').trim()
  if (!month && !year) return query[name] && MONTH.test(query[name] as string) ? query[name] : undefined
  const typed = /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year) ? `${year}-${month.padStart(2, '0')}` : ''
  return MONTH.test(typed) ? typed : 'invalid'
}

/**
 * A period of whole months in London time, the last twelve by default; dates to come are not yet held.
 * A month typed that is not one is named in `invalid`, for the page to say so.
 */
export function period(query: Query, today = new Date()) {
  const asked = { from: askedMonth(query, 'from'), to: askedMonth(query, 'to') }
  const invalid = PERIOD_MONTHS.filter((m) => asked[m] === 'invalid')
  const now = londonWallClock(today).date.slice(0, 7)
  const to = asked.to && asked.to !== 'invalid' ? asked.to : now
  const fallback = `${Number(to.slice(0, 4)) - 1}-${to.slice(5, 7)}`
  const from = asked.from && asked.from !== 'invalid' && asked.from <= to ? asked.from : fallback
  // The first day of the month after `to`: the 28th plus a week is always in the next month.
  const nextMonth = addDays(`${to}-28`, 7).slice(0, 7)
  const end = londonToUtc(`${nextMonth}-01`, '00:00') as string
  const nowIso = today.toISOString()
  const start = londonToUtc(`${from}-01`, '00:00') as string
  return { from, to, start, end: end < nowIso ? end : nowIso, invalid }
}

/** The month and year fields of each month input, what was typed kept (else the period's month). */
export function periodItems(query: Query, p: { from: string; to: string; invalid: readonly string[] }) {
  return Object.fromEntries(
    PERIOD_MONTHS.map((name) => {
      const typed = query[`${name}-month`] !== undefined || query[`${name}-year`] !== undefined
      const error = p.invalid.includes(name) ? ' govuk-input--error' : ''
      const [year, month] = p[name].split('-')
      return [
        name,
        [
          {
            name: 'month',
            value: typed ? (query[`${name}-month`] ?? '') : String(Number(month)),
            classes: `govuk-input--width-2${error}`,
          },
          {
            name: 'year',
            value: typed ? (query[`${name}-year`] ?? '') : year,
            classes: `govuk-input--width-4${error}`,
          },
        ],
      ]
    }),
  )
}
