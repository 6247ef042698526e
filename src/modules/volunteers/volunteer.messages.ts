import type { MessageTemplate } from '#platform/messages.ts'

/** Volunteers: to the applicant, and to their borough's volunteer coordinators. */
export const volunteerMessages = {
  'volunteers-application-received': (p) => ({
    subject: `${p.serviceName}: thank you for offering to volunteer`,
    body: [
      `Hello ${p.name},`,
      '',
      'Thank you for offering to volunteer as a digital helper at the library.',
      'A volunteer coordinator will contact you within two weeks to talk about what you would like to do.',
      'After a chat we ask for your references and, for some roles, a DBS check; then there is some training.',
      '',
      'You do not need to do anything now.',
    ].join('\n'),
  }),
  'volunteers-applied': (p) => ({
    subject: 'Someone has applied to volunteer',
    body: [
      'Hello,',
      '',
      `Someone has applied to volunteer in ${p.boroughName}. Please contact them within two weeks.`,
      '',
      `Their application: ${p.link}`,
    ].join('\n'),
  }),
  'volunteers-waiting': (p) => ({
    subject: `${p.count} volunteer applications are waiting`,
    body: [
      'Hello,',
      '',
      `${p.count} applications to volunteer in ${p.boroughName} have waited more than ${p.days} days without anyone contacting the applicant.`,
      '',
      `The board: ${p.link}`,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
