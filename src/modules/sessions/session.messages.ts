import type { MessageTemplate } from '#platform/messages.ts'

/** Sessions: offers from the waiting list and reminders. Times are given in London time. */
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
})
/** A time in words; what is not a time (the outbox list's "…" for every value) is shown as it is. */
const when = (iso: string | undefined) => {
  const date = new Date(iso ?? '')
  return Number.isNaN(date.getTime()) ? (iso ?? '') : LONDON.format(date)
}

export const sessionMessages = {
  'sessions-place-offered': (p) => ({
    subject: `A place is free for you: ${p.reference}`,
    body: [
      `Hello ${p.name},`,
      '',
      `A place has come free in the session you were waiting for. It is kept for you until ${when(p.expires)}.`,
      `To take it, go to ${p.url} and give your reference ${p.reference}.`,
    ].join('\n'),
  }),
  'sessions-reminder': (p) => ({
    subject: `Reminder: ${p.title}, ${when(p.startsAt)}`,
    body: [
      `Hello ${p.name},`,
      '',
      `This is a reminder of your place at ${p.title} on ${when(p.startsAt)}.`,
      `If you cannot come, please cancel at ${p.url} with your reference ${p.reference}, so someone else can have the place.`,
    ].join('\n'),
  }),
  'sessions-date-changed': (p) => ({
    subject: `Your session has changed: ${p.title}`,
    body: [
      `Hello ${p.name},`,
      '',
      `${p.title} has changed. It is now on ${when(p.startsAt)}${p.place ? ` at ${p.place}` : ''}.`,
      `If you cannot come then, please cancel or change your booking at ${p.url} with your reference ${p.reference}.`,
    ].join('\n'),
  }),
  'sessions-series-changed': (p) => ({
    subject: `Your sessions have changed: ${p.title}`,
    body: [
      `Hello ${p.name},`,
      '',
      `The times or place of ${p.title} have changed. The next date is ${when(p.startsAt)}${p.place ? ` at ${p.place}` : ''}.`,
      `To check your booking, go to ${p.url} and give your reference ${p.reference}.`,
    ].join('\n'),
  }),
  'sessions-date-cancelled': (p) => ({
    subject: `Cancelled: ${p.title}, ${when(p.startsAt)}`,
    body: [
      `Hello ${p.name},`,
      '',
      `We are sorry: ${p.title} on ${when(p.startsAt)} is cancelled.`,
      `To book another date, go to ${(p.url ?? '').replace(/\/booking$/, '')}. Your reference was ${p.reference}.`,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
