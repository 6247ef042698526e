import type { MessageTemplate } from '#platform/messages.ts'

/** Devices: reminders to the member of staff who handed a device or SIM card out. */
export const deviceMessages = {
  'devices-loan-due': (p) => ({
    subject: `Device ${p.assetTag} is due back on ${p.dueOn}`,
    body: [
      'Hello,',
      '',
      `The ${p.kind} with asset tag ${p.assetTag} that you lent is due back on ${p.dueOn}.`,
      'Please contact the resident to arrange its return or to renew the loan. There are no fines.',
      '',
      `The device's page: ${p.link}`,
    ].join('\n'),
  }),
  'devices-data-ending': (p) => ({
    subject: `The data on SIM card ${p.assetTag} ends on ${p.endsOn}`,
    body: [
      'Hello,',
      '',
      `The ${p.network} SIM card with asset tag ${p.assetTag} that you handed out stops working on ${p.endsOn}.`,
      'Please contact the resident before then, and offer a new SIM card if they still need one.',
      '',
      `The SIM card's page: ${p.link}`,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
