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
} satisfies Record<string, Template>

export type TemplateName = keyof typeof templates

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templates, name)
}

export function renderMessage(name: string, personalisation: Record<string, string>): RenderedMessage {
  if (!isTemplateName(name)) throw new Error(`Unknown message template ${name}`)
  return templates[name](personalisation)
}
