/**
 * Dates and times as the libraries live them: calendar dates (YYYY-MM-DD) and wall-clock times in London.
 * Day arithmetic is done at noon UTC, so a clock change never moves a date to another day.
 */

const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

// London's date changes only on a UTC hour (its clocks are whole hours from UTC), and busy pages ask
// for it on every request: formatted once an hour.
let lastDay = { hour: Number.NaN, day: '' }

/** The date in London at this instant (after midnight in summer, the UTC date is still the day before). */
export function londonToday(now: Date = new Date()): string {
  const hour = Math.floor(now.getTime() / 3_600_000)
  if (hour !== lastDay.hour) lastDay = { hour, day: LONDON_DAY.format(now) }
  return lastDay.day
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The London wall clock at an instant: YYYY-MM-DD and HH:MM. */
export function londonWallClock(instant: Date): { date: string; time: string } {
  const p = Object.fromEntries(LONDON.formatToParts(instant).map((x) => [x.type, x.value]))
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` }
}

/**
 * The UTC instant (ISO) of a London wall-clock time, or null when that time does not exist (skipped when
 * the clocks go forward). A time that happens twice (when they go back) is the first of the two, as
 * RFC 5545 says.
 */
export function londonToUtc(date: string, time: string): string | null {
  const asUtc = Date.parse(`${date}T${time}:00Z`)
  if (Number.isNaN(asUtc)) return null
  // London is UTC or one hour ahead: try the earlier instant (summer time) first.
  for (const offsetHours of [1, 0]) {
    const instant = new Date(asUtc - offsetHours * 3_600_000)
    const wall = londonWallClock(instant)
    if (wall.date === date && wall.time === time) return instant.toISOString()
  }
  return null
}
