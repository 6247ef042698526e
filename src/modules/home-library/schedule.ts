import { addDays } from '#platform/london.ts'
import type { Frequency } from './member.ts'

/**
 * Visit dates from a member's schedule. Dates are calendar dates (YYYY-MM-DD) worked out at noon UTC, so
 * a clock change never moves a visit to another day; "today" is the date in London.
 */

/** 1 Monday ... 7 Sunday. */
export function weekday(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay() || 7
}

const STEP_DAYS: Record<Frequency, number> = { weekly: 7, fortnightly: 14, 'four-weekly': 28 }

/** A bank holiday or a weekend: no visits. */
export function isWorkingDay(day: string, bankHolidays: ReadonlySet<string>): boolean {
  return weekday(day) <= 5 && !bankHolidays.has(day)
}

/** The first working day on or after `day`. */
export function nextWorkingDay(day: string, bankHolidays: ReadonlySet<string>): string {
  let d = day
  while (!isWorkingDay(d, bankHolidays)) d = addDays(d, 1)
  return d
}

export interface Schedule {
  /** The member's delivery day, 1 Monday ... 5 Friday. */
  deliveryDay: number
  frequency: Frequency
  /** The first visit's date; fortnightly and four-weekly visits count their weeks from it. */
  startsOn: string
}

/**
 * The visits due from `from` up to and including `until`. A visit falling on a bank holiday moves to the
 * next working day (it is not dropped: a four-weekly member would otherwise wait eight weeks).
 */
export function visitDates(
  schedule: Schedule,
  from: string,
  until: string,
  bankHolidays: ReadonlySet<string>,
): string[] {
  const step = STEP_DAYS[schedule.frequency]
  // The first delivery day on or after the start.
  let due = addDays(schedule.startsOn, (schedule.deliveryDay - weekday(schedule.startsOn) + 7) % 7)
  if (due < from) {
    const behind = Math.floor((Date.parse(from) - Date.parse(due)) / 86_400_000)
    due = addDays(due, Math.floor(behind / step) * step)
    if (due < from) due = addDays(due, step)
  }
  const dates: string[] = []
  for (; due <= until; due = addDays(due, step)) {
    const day = nextWorkingDay(due, bankHolidays)
    if (day <= until && !dates.includes(day)) dates.push(day)
  }
  return dates
}
