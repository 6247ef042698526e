import type { MessageTemplate } from '#platform/messages.ts'

/** Dates as people write them: 3 March 2027. */
const LONG = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
})
const date = (iso: string | undefined) => {
  const at = new Date(`${iso}T00:00:00Z`)
  // Not a date (the outbox list shows templates with their values hidden): the value as it is.
  return Number.isNaN(at.getTime()) ? (iso ?? '') : LONG.format(at)
}

/** The partnership lead warned of an agreement near review; owners reminded of their actions. */
export const partnershipMessages = {
  'partnership-agreement-lapsing': (p) => ({
    subject: `Data-sharing agreement due for review: ${p.title}`,
    body: [
      `The data-sharing agreement "${p.title}" with ${p.partner} is due for review on ${date(p.reviewOn)}.`,
      '',
      'After that date no resident’s data can be shared with them under it, and referrals to them will be refused.',
      `Review it and record the new review date: ${p.url}`,
    ].join('\n'),
  }),
  'partnership-action-due': (p) => ({
    subject: `Action due on ${date(p.dueOn)}`,
    body: [
      `Hello ${p.name},`,
      '',
      `This action from a partnership meeting is due on ${date(p.dueOn)}:`,
      '',
      p.action ?? '',
      '',
      `Your actions: ${p.url}`,
    ].join('\n'),
  }),
  'partnership-action-overdue': (p) => ({
    subject: `Action overdue since ${date(p.dueOn)}`,
    body: [
      `Hello ${p.name},`,
      '',
      `This action from a partnership meeting was due on ${date(p.dueOn)} and is still open:`,
      '',
      p.action ?? '',
      '',
      `Give an update or mark it done: ${p.url}`,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
