import type { MessageTemplate } from '#platform/messages.ts'

/**
 * Devices: reminders to the member of staff who handed a device or SIM card out, and to the resident (by
 * email or text, only where they said it is safe: no asset tags or links that would mean nothing to them).
 */
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
  'devices-loan-due-resident': (p) => ({
    subject: `Your ${p.kind} from the library is due back on ${p.dueOn}`,
    body: [
      `Hello ${p.name},`,
      '',
      `The ${p.kind} you borrowed from the library is due back on ${p.dueOn}.`,
      'Please bring it back to the library, with what came with it, or ask us to lend it for longer. There are no fines.',
    ].join('\n'),
  }),
  'devices-data-ending-resident': (p) => ({
    subject: `The data on your SIM card ends on ${p.endsOn}`,
    body: [
      `Hello ${p.name},`,
      '',
      `The ${p.network} SIM card you had from the library stops working on ${p.endsOn}.`,
      'If you still need data, ask at the library for a new SIM card: it is free.',
    ].join('\n'),
  }),
  'devices-follow-up': (p) => ({
    subject: `Please follow up device ${p.assetTag}`,
    body: [
      'Hello,',
      '',
      `It is three weeks since you handed over the ${p.kind} with asset tag ${p.assetTag}.`,
      'Please ask the resident whether they are using it and what for, and record their answers: they count in the figures for funders.',
      '',
      `Record the answers: ${p.link}`,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
