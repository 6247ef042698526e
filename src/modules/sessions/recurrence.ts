import { addDays, londonToUtc, londonWallClock } from '#platform/london.ts'
/**
 * The part of RFC 5545 recurrence the sessions need: weekly on some days, from a first date, until a date
 * or for a count, less some dates (EXDATE). Times are Europe/London wall-clock times, turned into UTC
 * instants date by date, so "Tuesdays 10:00" stays 10:00 on both sides of a clock change. No I/O here.
 */

export const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const
export type Weekday = (typeof WEEKDAYS)[number]

export interface WeeklyRule {
  /** The first date, YYYY-MM-DD (DTSTART's date). */
  start: string
  /** Wall-clock times in London, HH:MM. */
  startTime: string
  endTime: string
  byDay: Weekday[]
  /** The last date an occurrence may fall on (UNTIL), or... */
  until?: string
  /** ...how many occurrences there are (COUNT), counting those EXDATE removes, as RFC 5545 does. */
  count?: number
  /** Dates with no occurrence: bank holidays, a closed library. */
  exdates: string[]
}

export interface Occurrence {
  /** The London date, which names the occurrence (its RECURRENCE-ID) even after a one-off change. */
  date: string
  startsAt: string
  endsAt: string
}

/** A series may not run for ever: a year of weekday sessions at most; a longer one is two series. */
export const MAX_OCCURRENCES = 260

export function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
}

export function isTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value)
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] as Weekday
}

export type RuleProblem = 'start' | 'time' | 'endBeforeStart' | 'days' | 'end' | 'tooMany' | 'skippedTime'

/** What is wrong with a rule, naming the first problem; null when it is sound. */
export function checkRule(rule: WeeklyRule): { problem: RuleProblem; date?: string } | null {
  if (!isDate(rule.start)) return { problem: 'start' }
  if (!isTime(rule.startTime) || !isTime(rule.endTime)) return { problem: 'time' }
  if (rule.endTime <= rule.startTime) return { problem: 'endBeforeStart' }
  if (!rule.byDay.length) return { problem: 'days' }
  if ((rule.until === undefined) === (rule.count === undefined)) return { problem: 'end' }
  if (rule.until !== undefined && (!isDate(rule.until) || rule.until < rule.start)) return { problem: 'end' }
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) return { problem: 'end' }
  const dates = ruleDates(rule, MAX_OCCURRENCES + 1)
  if (dates.length > MAX_OCCURRENCES) return { problem: 'tooMany' }
  for (const date of dates) {
    if (!londonToUtc(date, rule.startTime) || !londonToUtc(date, rule.endTime))
      return { problem: 'skippedTime', date }
  }
  return null
}

/** The dates of the rule, in order, EXDATEs left out; at most `limit` of them. */
export function ruleDates(rule: WeeklyRule, limit = MAX_OCCURRENCES): string[] {
  const days = new Set(rule.byDay)
  const excluded = new Set(rule.exdates)
  const out: string[] = []
  let counted = 0
  // Even with COUNT, stop after the limit's worth of weeks: an empty BYDAY must not loop for ever.
  for (let date = rule.start, i = 0; i < limit * 7 + 7; date = addDays(date, 1), i++) {
    if (rule.until !== undefined && date > rule.until) break
    if (rule.count !== undefined && counted >= rule.count) break
    if (!days.has(weekdayOf(date))) continue
    counted++
    if (excluded.has(date)) continue
    out.push(date)
    if (out.length >= limit) break
  }
  return out
}

/** Each occurrence with its UTC start and end; a date whose time does not exist is left out. */
export function expand(rule: WeeklyRule, limit = MAX_OCCURRENCES): Occurrence[] {
  const out: Occurrence[] = []
  for (const date of ruleDates(rule, limit)) {
    const startsAt = londonToUtc(date, rule.startTime)
    const endsAt = londonToUtc(date, rule.endTime)
    if (startsAt && endsAt) out.push({ date, startsAt, endsAt })
  }
  return out
}

const compact = (date: string) => date.replaceAll('-', '')
const compactTime = (time: string) => `${time.replace(':', '')}00`

/**
 * The rule as RFC 5545 text: DTSTART with TZID, RRULE, EXDATE. UNTIL is the UTC instant of the end of
 * its London day, as RFC 5545 wants when DTSTART names a time zone.
 */
export function formatRule(rule: WeeklyRule): string {
  const parts = ['FREQ=WEEKLY', `BYDAY=${rule.byDay.join(',')}`]
  if (rule.until !== undefined) {
    const end = londonToUtc(rule.until, '23:59') as string
    parts.push(`UNTIL=${end.replace(/[-:]/g, '').slice(0, 15)}Z`)
  }
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`)
  const lines = [
    `DTSTART;TZID=Europe/London:${compact(rule.start)}T${compactTime(rule.startTime)}`,
    `DTEND;TZID=Europe/London:${compact(rule.start)}T${compactTime(rule.endTime)}`,
    `RRULE:${parts.join(';')}`,
  ]
  if (rule.exdates.length) {
    const times = [...rule.exdates].sort().map((d) => `${compact(d)}T${compactTime(rule.startTime)}`)
    lines.push(`EXDATE;TZID=Europe/London:${times.join(',')}`)
  }
  return lines.join('\n')
}

const expandDate = (s: string) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`
const expandTime = (s: string) => `${s.slice(0, 2)}:${s.slice(2, 4)}`

/** Reads what `formatRule` writes (and the same subset from elsewhere); throws on anything else. */
export function parseRule(text: string): WeeklyRule {
  const rule: Partial<WeeklyRule> & { exdates: string[] } = { exdates: [] }
  for (const line of text.split(/\r?\n/).filter(Boolean)) {
    const [head = '', value = ''] = line.split(/:(.*)/s)
    const name = head.split(';')[0]
    if (name === 'DTSTART' || name === 'DTEND') {
      const m = /^(\d{8})T(\d{4})\d{2}$/.exec(value)
      if (!m || !head.includes('TZID=Europe/London')) throw new Error(`Unsupported ${name}: ${line}`)
      if (name === 'DTSTART') rule.start = expandDate(m[1] as string)
      if (name === 'DTSTART') rule.startTime = expandTime(m[2] as string)
      else rule.endTime = expandTime(m[2] as string)
    } else if (name === 'RRULE') {
      const fields = Object.fromEntries(value.split(';').map((p) => p.split('=')))
      if (fields.FREQ !== 'WEEKLY') throw new Error(`Unsupported FREQ: ${fields.FREQ}`)
      rule.byDay = String(fields.BYDAY ?? '').split(',') as Weekday[]
      if (!rule.byDay.every((d) => (WEEKDAYS as readonly string[]).includes(d)))
        throw new Error(`Unsupported BYDAY: ${fields.BYDAY}`)
      if (fields.COUNT) rule.count = Number(fields.COUNT)
      if (fields.UNTIL) {
        const m = /^(\d{8})(?:T(\d{6})Z)?$/.exec(fields.UNTIL)
        if (!m) throw new Error(`Unsupported UNTIL: ${fields.UNTIL}`)
        rule.until = m[2]
          ? londonWallClock(
              new Date(
                Date.parse(
                  `${expandDate(m[1] as string)}T${m[2].replace(/(\d\d)(\d\d)(\d\d)/, '$1:$2:$3')}Z`,
                ),
              ),
            ).date
          : expandDate(m[1] as string)
      }
    } else if (name === 'EXDATE') {
      rule.exdates.push(...value.split(',').map((v) => expandDate(v)))
    }
  }
  if (!rule.start || !rule.startTime || !rule.endTime || !rule.byDay) throw new Error('Incomplete rule')
  return rule as WeeklyRule
}
