import type { MessageTemplate } from '#platform/messages.ts'

/** Home Library: reminders to the service's staff. The member is named on the page the link opens, not here. */
export const homeLibraryMessages = {
  'home-library-review-due': (p) => ({
    subject: `A Home Library member's review is due on ${p.reviewOn}`,
    body: [
      'Hello,',
      '',
      `A member who joined with a temporary mobility problem has their eligibility review on ${p.reviewOn}.`,
      'Please check with them whether they still need the service, then change their review date or status.',
      '',
      `Their page: ${p.link}`,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
