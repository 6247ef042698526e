import { type MessageTemplate, withSecrets } from '#platform/messages.ts'

/**
 * The mailing list's messages. A bulletin carries its own unsubscribe link twice: in the text, and in the
 * RFC 8058 headers that let a mail program offer "Unsubscribe" and post it in one click. The links are
 * masked in the copy the outbox keeps: only the subscriber holds them.
 */
export const mailingMessages = {
  'partnership-mailing-confirm': withSecrets(
    (p) => ({
      subject: 'Confirm you want the partnership’s emails',
      body: [
        'Someone, we hope you, asked to get these emails from the digital inclusion partnership:',
        '',
        ...(p.lists ?? '').split('\n').map((name) => `- ${name}`),
        '',
        `To confirm, open this link within ${p.hours} hours:`,
        p.confirmUrl ?? '',
        '',
        'If it was not you, ignore this email: you will get nothing more from us.',
      ].join('\n'),
    }),
    ['confirmUrl'],
  ),
  'partnership-bulletin': withSecrets(
    (p) => ({
      subject: p.title ?? '',
      body: [
        p.body ?? '',
        '',
        '---',
        `Read this on the web: ${p.webUrl}`,
        `You get this because you joined the list "${p.listName}".`,
        `Unsubscribe: ${p.unsubscribeUrl}`,
        `Choose your lists: ${p.manageUrl}`,
      ].join('\n'),
      headers: {
        'List-Unsubscribe': `<${p.oneClickUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    }),
    ['unsubscribeUrl', 'manageUrl', 'oneClickUrl'],
  ),
} satisfies Record<string, MessageTemplate>
