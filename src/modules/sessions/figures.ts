import { stringify } from 'csv-stringify/sync'
import { londonWallClock } from '#platform/london.ts'

/** The figures funders and managers ask for: pure counting over the rows the repository gives. */

export interface HeldRow {
  starts_at: string
  capacity: number
  booked: number
  borough_id: string
  kind: string
  location_id: string | null
  attended: number | null
  no_shows: number | null
}

export interface FigureLine {
  kind: string
  place: string
  borough: string
  month: string
  held: number
  offered: number
  taken: number
  attended: number
  noShows: number
}

/** Sessions held, places offered and taken, attendance and no-shows by type, place, borough and month. */
export function figureLines(
  rows: HeldRow[],
  names: { place(id: string | null): string; borough(id: string): string; kind(kind: string): string },
): FigureLine[] {
  const lines = new Map<string, FigureLine>()
  for (const r of rows) {
    const month = londonWallClock(new Date(r.starts_at)).date.slice(0, 7)
    const key = [r.kind, r.location_id, r.borough_id, month].join('|')
    const line = lines.get(key) ?? {
      kind: names.kind(r.kind),
      place: names.place(r.location_id),
      borough: names.borough(r.borough_id),
      month,
      held: 0,
      offered: 0,
      taken: 0,
      attended: 0,
      noShows: 0,
    }
    line.held++
    line.offered += r.capacity
    line.taken += r.booked
    line.attended += Number(r.attended ?? 0)
    line.noShows += Number(r.no_shows ?? 0)
    lines.set(key, line)
  }
  return [...lines.values()].sort(
    (a, b) =>
      a.month.localeCompare(b.month) ||
      a.borough.localeCompare(b.borough) ||
      a.place.localeCompare(b.place) ||
      a.kind.localeCompare(b.kind),
  )
}

/** People helped: each person once however many bookings they had (by record, else by contact, else the booking). */
export function peopleHelped(
  attendees: { id: string; person_id: string | null; contact_key: string | null }[],
): number {
  return new Set(attendees.map((a) => a.person_id ?? (a.contact_key ? `c:${a.contact_key}` : `b:${a.id}`)))
    .size
}

/** A cell a spreadsheet would run as a formula (= + - @, or a tab or return first) is kept as text. */
export function safeCell(value: unknown): string {
  const text = String(value ?? '')
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

const HEADER = [
  'Month',
  'Borough',
  'Place',
  'Type',
  'Sessions held',
  'Places offered',
  'Places taken',
  'Attended',
  'No-shows',
]

/** Learners' progress in a borough over the period: learners, sessions they attended, skills gained. */
export interface LearnerLine {
  borough: string
  learners: number
  attended: number
  gained: number
}

const LEARNER_HEADER = [
  'Borough',
  'From month',
  'To month',
  'Learners',
  'Sessions attended by learners',
  'Skills gained',
]

/**
 * CSV that Excel opens correctly: UTF-8 with a byte-order mark, CRLF line ends, every cell made safe. The
 * sessions by month come first; after an empty row, the learners' progress per borough over the period.
 */
export function figuresCsv(
  lines: FigureLine[],
  learning: { from: string; to: string; learners: LearnerLine[] } = { from: '', to: '', learners: [] },
): string {
  const rows: unknown[][] = [
    HEADER,
    ...lines.map((l) => [
      l.month,
      l.borough,
      l.place,
      l.kind,
      l.held,
      l.offered,
      l.taken,
      l.attended,
      l.noShows,
    ]),
  ]
  if (learning.learners.length)
    rows.push(
      [],
      LEARNER_HEADER,
      ...learning.learners.map((l) => [
        l.borough,
        learning.from,
        learning.to,
        l.learners,
        l.attended,
        l.gained,
      ]),
    )
  return `\uFEFF${stringify(
    rows.map((r) => r.map(safeCell)),
    { record_delimiter: 'windows' },
  )}`
}
