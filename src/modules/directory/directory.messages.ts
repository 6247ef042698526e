import type { MessageTemplate } from '#platform/messages.ts'

/** Directory: keeping listings true. */
export const directoryMessages = {
  'directory-review-due': (p) => ({
    subject: `Please check your listings on ${p.serviceName}`,
    body: [
      'Hello,',
      '',
      `These listings on ${p.serviceName} have not been checked for 6 months or more:`,
      '',
      p.listings,
      '',
      'Please check each one is still right, change what is not, and tick "I have checked this listing is correct":',
      p.link,
    ].join('\n'),
  }),
  'directory-problem-reported': (p) => ({
    subject: `Someone reported a problem with ${p.listing}`,
    body: [
      'Hello,',
      '',
      `A member of the public reported a problem with the page for ${p.listing} on ${p.serviceName}:`,
      '',
      p.details,
      '',
      'Please check the listing and correct it:',
      p.link,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
