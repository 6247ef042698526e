import { stringify } from 'csv-stringify/sync'
import { USES, USING_IT } from './device.ts'

/** One line of the figures: a month, a borough and a type of device. */
export interface FigureRow {
  month: string
  borough: string
  kind: string
  received: number
  wiped: number
  lent: number
  gifted: number
  returned: number
}

type Counted = { month: string; borough_id: string; kind: string; n: number }

/** The repository's separate counts, as one row per month, borough and type, newest month first. */
export function figureRows(
  counts: {
    received: Counted[]
    wiped: Counted[]
    handed: (Counted & { allocation: string })[]
    returned: Counted[]
  },
  boroughName: (id: string) => string,
): FigureRow[] {
  const rows = new Map<string, FigureRow>()
  const row = (c: Counted) => {
    const key = `${c.month}|${c.borough_id}|${c.kind}`
    let r = rows.get(key)
    if (!r) {
      r = {
        month: c.month,
        borough: boroughName(c.borough_id),
        kind: c.kind,
        received: 0,
        wiped: 0,
        lent: 0,
        gifted: 0,
        returned: 0,
      }
      rows.set(key, r)
    }
    return r
  }
  for (const c of counts.received) row(c).received += Number(c.n)
  for (const c of counts.wiped) row(c).wiped += Number(c.n)
  for (const c of counts.handed) row(c)[c.allocation === 'gift' ? 'gifted' : 'lent'] += Number(c.n)
  for (const c of counts.returned) row(c).returned += Number(c.n)
  return [...rows.values()].sort(
    (a, b) =>
      b.month.localeCompare(a.month) || a.borough.localeCompare(b.borough) || a.kind.localeCompare(b.kind),
  )
}

/** The median of whole days between each request and its handover, or null when there were none. */
export function medianDays(
  pairs: { requested_at: string | null; handed_over_at: string | null }[],
): number | null {
  const days = pairs
    .filter((p) => p.requested_at && p.handed_over_at)
    .map((p) =>
      Math.floor(
        (Date.parse(p.handed_over_at as string) - Date.parse(p.requested_at as string)) / 86_400_000,
      ),
    )
    .sort((a, b) => a - b)
  if (!days.length) return null
  const mid = Math.floor(days.length / 2)
  return days.length % 2
    ? (days[mid] as number)
    : Math.round(((days[mid - 1] as number) + (days[mid] as number)) / 2)
}

/** Text a spreadsheet would run as a formula (= + - @, or a tab or return first) gets a leading apostrophe. */
export function safeCell(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

export type FollowUpFigures = ReturnType<typeof followUpFigures>

/** The words of the spreadsheet, in the page's language. */
export interface CsvWords {
  kind(kind: string): string
  using(answer: string): string
  use(use: string): string
  asked: string
  heading: string
}

/**
 * The figures as CSV that Excel opens as UTF-8 (with a byte order mark) and never runs as formulas: the
 * rows by month, borough and type; then, after a blank line, the follow-ups' answers counted.
 */
export function figuresCsv(rows: FigureRow[], followUps: FollowUpFigures, words: CsvWords): string {
  const header = ['Month', 'Borough', 'Type', 'Received', 'Wiped', 'Lent', 'Given', 'Returned']
  const body = rows.map((r) => [
    r.month,
    r.borough,
    words.kind(r.kind),
    r.received,
    r.wiped,
    r.lent,
    r.gifted,
    r.returned,
  ])
  const answers = [
    [words.heading, 'Count'],
    [words.asked, followUps.asked],
    ...Object.entries(followUps.using).map(([u, n]) => [words.using(u), n]),
    ...Object.entries(followUps.uses).map(([u, n]) => [words.use(u), n]),
  ]
  const table = [header, ...body, [], ...answers].map((line) => line.map(safeCell))
  return `\uFEFF${stringify(table, { record_delimiter: '\r\n' })}`
}

/** The follow-ups' answers counted: how many use what they were given, and what for. */
export function followUpFigures(answers: { using_it: string; uses_json: string[] }[]) {
  const using: Record<string, number> = Object.fromEntries(USING_IT.map((u) => [u, 0]))
  const uses: Record<string, number> = Object.fromEntries(USES.map((u) => [u, 0]))
  for (const a of answers) {
    using[a.using_it] = (using[a.using_it] ?? 0) + 1
    for (const u of a.uses_json) uses[u] = (uses[u] ?? 0) + 1
  }
  return { asked: answers.length, using, uses }
}
