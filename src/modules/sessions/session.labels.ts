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

/** "Tuesday 12 January 2027, 10am to 12pm", in London time. */
export function when(startsAt: string, endsAt: string): string {
  return `${DAY.format(new Date(startsAt)).replace(',', '')}, ${time(startsAt)} to ${time(endsAt)}`
}
