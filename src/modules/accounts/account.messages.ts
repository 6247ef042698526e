import { type MessageTemplate, withSecrets } from '#platform/messages.ts'

/** Accounts: invitations and password changes. */
export const accountMessages = {
  // The link sets the account's password: only the invited person may read it.
  'account-invite': withSecrets(
    (p) => ({
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
    ['link'],
  ),
  'password-changed': (p) => ({
    subject: `Your ${p.serviceName} password was changed`,
    body: [
      `Hello ${p.name},`,
      '',
      `The password for your ${p.serviceName} account was changed.`,
      'If you did not change it, tell your administrator straight away.',
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
