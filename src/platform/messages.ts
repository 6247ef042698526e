/**
 * Every message the Hub sends, in one place. Each template turns its personalisation into a subject
 * and a plain-text body; GOV.UK Notify receives them through one generic template with
 * ((subject)) and ((body)) placeholders, so wording changes need no change in Notify.
 */
export interface RenderedMessage {
  subject: string
  body: string
}

type Template = (p: Record<string, string>) => RenderedMessage

const templates = {
  'account-invite': (p) => ({
    subject: `You have been invited to ${p.serviceName}`,
    body: [
      `Hello ${p.name},`,
      '',
      `You have been given an account on ${p.serviceName}.`,
      'Use this link to choose your password. It works once, for 7 days:',
      '',
      p.link,
      '',
      'If you did not expect this email, you can ignore it.',
    ].join('\n'),
  }),
  'password-changed': (p) => ({
    subject: `Your ${p.serviceName} password was changed`,
    body: [
      `Hello ${p.name},`,
      '',
      `The password for your ${p.serviceName} account was changed.`,
      'If you did not change it, tell your administrator straight away.',
    ].join('\n'),
  }),
  // Referrals (src/modules/referrals): the closed loop. Status and outcome only, never case notes.
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
      `${p.teamName}: these requests have not been updated for ${p.days} working days or more.`,
      '',
      p.list,
      '',
      `See them in the queue: ${p.link}`,
      '',
      p.serviceName,
    ].join('\n'),
  }),
  // Directory (src/modules/directory/keeping-true.service.ts): keeping listings true.
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
} satisfies Record<string, Template>

export type TemplateName = keyof typeof templates

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templates, name)
}

export function renderMessage(name: string, personalisation: Record<string, string>): RenderedMessage {
  if (!isTemplateName(name)) throw new Error(`Unknown message template ${name}`)
  return templates[name](personalisation)
}

/**
 * Personalisation that hands over an account (a one-time link): the transport reads it to send the
 * message; every page shows it masked, and the copy kept after sending holds the mask only.
 */
const SECRET_FIELDS: Partial<Record<TemplateName, readonly string[]>> = {
  'account-invite': ['link'],
}

const MASKED = '[hidden: sent to the recipient only]'

export function maskSecrets(name: string, personalisation: Record<string, string>): Record<string, string> {
  const secret = isTemplateName(name) ? (SECRET_FIELDS[name] ?? []) : []
  return Object.fromEntries(
    Object.entries(personalisation).map(([k, v]) => [k, secret.includes(k) ? MASKED : v]),
  )
}
