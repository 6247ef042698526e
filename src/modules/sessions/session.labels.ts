const DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
})
const TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
})

/** 10:00am reads as 10am, as GOV.UK writes times. */
const time = (iso: string) => TIME.format(new Date(iso)).replace(':00', '').replace(/\s/gu, '')

// Formatting dates costs more than the rest of a listed session, and the same dates are listed to
// everyone: each start and end is worked out once (bounded).
const said = new Map<string, string>()

/** "Tuesday 12 January 2027, 10am to 12pm", in London time. */
export function when(startsAt: string, endsAt: string): string {
  const key = `${startsAt} ${endsAt}`
  let text = said.get(key)
  if (text === undefined) {
    text = `${DAY.format(new Date(startsAt)).replace(',', '')}, ${time(startsAt)} to ${time(endsAt)}`
    if (said.size >= 10_000) said.clear()
    said.set(key, text)
  }
  return text
}
