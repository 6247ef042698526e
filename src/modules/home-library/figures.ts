import { FORMATS, LEFT_REASONS } from './member.ts'

/** The figures' shape, folded from the repository's daily counts. Pure, so it is tested without a database. */

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

/** The twelve months of a year, YYYY-MM. */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
}

export function addItems(f: BoroughFigures, day: string, format: string, n: number): void {
  const month = day.slice(0, 7)
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
