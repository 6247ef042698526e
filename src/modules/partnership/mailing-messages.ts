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
  // A meeting's attendees are on no list: nothing to unsubscribe from, so no List-Unsubscribe; the line
  // at the foot says why this came to them instead.
  'partnership-bulletin-attendees': (p) => ({
    subject: p.title ?? '',
    body: [
      p.body ?? '',
      '',
      '---',
      `Read this on the web: ${p.webUrl}`,
      p.attendance === 'apologies'
        ? `You get this because you sent apologies for the partnership meeting "${p.meetingTitle}" on ${p.meetingDate}.`
        : `You get this because you attended the partnership meeting "${p.meetingTitle}" on ${p.meetingDate}.`,
      `It came to you as one of the meeting's people, not through a mailing list. For the partnership's news, sign up at ${p.subscribeUrl}`,
    ].join('\n'),
  }),
} satisfies Record<string, MessageTemplate>
