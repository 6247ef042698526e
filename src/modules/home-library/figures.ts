import { FORMATS, LEFT_REASONS } from './member.ts'

/** The figures' shape, folded from the repository's monthly counts. Pure, so it is tested without a database. */

export interface BoroughFigures {
  boroughId: string
  name: string
  active: number
  joined: number
  left: Record<string, number>
  visitsDone: number
  visitsMissed: number
  digitalMinutes: number
  peopleVisited: number
  /** Items delivered by month (YYYY-MM) and format. */
  items: Record<string, Record<string, number>>
  itemsByMonth: Record<string, number>
  itemsByFormat: Record<string, number>
  itemsTotal: number
}

export function emptyFigures(boroughId: string, name: string): BoroughFigures {
  return {
    boroughId,
    name,
    active: 0,
    joined: 0,
    left: Object.fromEntries(LEFT_REASONS.map((r) => [r, 0])),
    visitsDone: 0,
    visitsMissed: 0,
    digitalMinutes: 0,
    peopleVisited: 0,
    items: {},
    itemsByMonth: {},
    itemsByFormat: Object.fromEntries(FORMATS.map((x) => [x, 0])),
    itemsTotal: 0,
  }
}

/** The names the monthly counts are kept under. */
export const MEASURES = {
  done: 'visits-done',
  missed: 'visits-missed',
  minutes: 'digital-minutes',
  items: (format: string) => `items:${format}`,
  joined: 'joined',
  left: (reason: string) => `left:${reason}`,
  /** How the month's changes of status moved the active count: "active on a date" sums the months before. */
  active: 'active-change',
  /** People visited for the first time in their year (a year's months add up to the different people). */
  firstVisited: 'people-first-visited',
}

/** What one change of a member's status adds to its month's counts. */
export function changeCounts(change: {
  status: string
  reason: string | null
  is_joining: boolean | number
  active_delta: number
}): Record<string, number> {
  const counts: Record<string, number> = {}
  if (change.active_delta) counts[MEASURES.active] = change.active_delta
  if (change.is_joining) counts[MEASURES.joined] = 1
  if (change.status === 'left' && change.reason) counts[MEASURES.left(change.reason)] = 1
  return counts
}

/** What one recorded visit adds to its month's counts. */
export function visitCounts(
  visit: { status: 'done' | 'missed' | 'planned'; digital_minutes: number },
  formats: readonly string[],
): Record<string, number> {
  if (visit.status === 'missed') return { [MEASURES.missed]: 1 }
  if (visit.status !== 'done') return {}
  const counts: Record<string, number> = { [MEASURES.done]: 1, [MEASURES.minutes]: visit.digital_minutes }
  for (const f of formats) counts[MEASURES.items(f)] = (counts[MEASURES.items(f)] ?? 0) + 1
  return counts
}

/** Many visits' counts summed per borough, month and measure: rows for a bulk insert. */
export function tally(visits: { borough_id: string; day: string; counts: Record<string, number> }[]) {
  const sums = new Map<string, { borough_id: string; month: string; measure: string; n: number }>()
  for (const v of visits)
    for (const [measure, n] of Object.entries(v.counts)) {
      const month = v.day.slice(0, 7)
      const key = `${v.borough_id}|${month}|${measure}`
      const row = sums.get(key) ?? { borough_id: v.borough_id, month, measure, n: 0 }
      row.n += n
      sums.set(key, row)
    }
  return [...sums.values()].filter((r) => r.n)
}

/** Folds one month's count (YYYY-MM) into a borough's figures. */
export function addCount(f: BoroughFigures, month: string, measure: string, n: number): void {
  if (measure === MEASURES.done) f.visitsDone += n
  else if (measure === MEASURES.missed) f.visitsMissed += n
  else if (measure === MEASURES.minutes) f.digitalMinutes += n
  else if (measure === MEASURES.joined) f.joined += n
  else if (measure === MEASURES.firstVisited) f.peopleVisited += n
  else if (measure.startsWith('left:')) {
    const reason = measure.slice('left:'.length)
    f.left[reason] = (f.left[reason] ?? 0) + n
  } else if (measure.startsWith('items:')) addItems(f, month, measure.slice('items:'.length), n)
}

/** The twelve months of a year, YYYY-MM. */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
}

export function addItems(f: BoroughFigures, month: string, format: string, n: number): void {
  const byFormat = f.items[month] ?? Object.fromEntries(FORMATS.map((x) => [x, 0]))
  f.items[month] = byFormat
  byFormat[format] = (byFormat[format] ?? 0) + n
  f.itemsByMonth[month] = (f.itemsByMonth[month] ?? 0) + n
  f.itemsByFormat[format] = (f.itemsByFormat[format] ?? 0) + n
  f.itemsTotal += n
}

const MONTH_NAME = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })

/** December 2026 */
export function monthName(month: string): string {
  return MONTH_NAME.format(new Date(`${month}-15T12:00:00Z`))
}

/** A cell as Excel should read it: text that starts like a formula is kept as text. */
export function csvCell(value: string | number): string | number {
  if (typeof value === 'number') return value
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
