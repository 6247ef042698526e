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
  'volunteers-training-expiring': (p) => ({
    subject: `Your ${p.course} training runs out on ${p.expiresOn}`,
    body: [
      `Hello ${p.name},`,
      '',
      `Your ${p.course} training runs out on ${p.expiresOn}. After that you cannot go on shifts that need it.`,
      'Please ask your volunteer coordinator about doing it again.',
      '',
      `Your volunteering page: ${p.link}`,
    ].join('\n'),
  }),
  'volunteers-training-expiring-coordinator': (p) => ({
    subject: `A volunteer's ${p.course} training runs out on ${p.expiresOn}`,
    body: [
      'Hello,',
      '',
      `${p.name}'s ${p.course} training runs out on ${p.expiresOn}. Shifts that need it will refuse them after that.`,
      '',
      `Their record: ${p.link}`,
    ].join('\n'),
  }),
  'volunteers-understaffed': (p) => ({
    subject: `A shift needs ${p.missing} more helpers`,
    body: [
      'Hello,',
      '',
      `${p.title} at ${p.place} on ${p.startsAt} still needs ${p.missing} more volunteer helpers.`,
      '',
      `The shift: ${p.link}`,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
