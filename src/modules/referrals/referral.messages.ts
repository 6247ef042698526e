import type { MessageTemplate } from '#platform/messages.ts'

/** Referrals: the closed loop. Status and outcome only, never case notes. */
export const referralMessages = {
  'referral-received-resident': (p) => ({
    subject: `We have your request for help: ${p.reference}`,
    body: [
      `Thank you. We have your request for help. Your reference is ${p.reference}.`,
      '',
      `We will contact you by ${p.byDate}, in the way you asked us to.`,
      `You can check where your request is at ${p.trackUrl}`,
      '',
      p.serviceName,
    ].join('\n'),
  }),
  'referral-received-referrer': (p) => ({
    subject: `Referral received: ${p.reference}`,
    body: [
      `We have received your referral. The reference is ${p.reference}.`,
      '',
      `Help asked for: ${p.needs}.`,
      `We will contact the resident by ${p.byDate}. We will email you when each request is accepted or declined, and its outcome.`,
      `You can check its progress at ${p.trackUrl}`,
      '',
      p.serviceName,
    ].join('\n'),
  }),
  'referral-need-update': (p) => ({
    subject: `Update on referral ${p.reference}: ${p.need}`,
    body: [
      `Referral ${p.reference}, request for ${p.need}: ${p.status}.`,
      ...(p.outcome ? [`Outcome: ${p.outcome}.`] : []),
      ...(p.signposting ? ['', `Other help that may suit them: ${p.signposting}`] : []),
      '',
      `Status code: ${p.statusCode}${p.outcomeCode ? `; outcome code: ${p.outcomeCode}` : ''}`,
      '',
      p.serviceName,
    ].join('\n'),
  }),
  'referral-stale-digest': (p) => ({
    subject: `${p.count} referral requests not updated for ${p.days} working days`,
    body: [
      `${p.teamName}: these requests have not been updated for ${p.days} working days or more` +
        (p.listed ? ` (the ${p.listed} oldest of ${p.count?.toLowerCase()}).` : '.'),
      '',
      p.list,
      '',
      `See them in the queue: ${p.link}`,
      '',
      p.serviceName,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
