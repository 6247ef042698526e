import type { StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import type { Platform } from '#platform/platform.ts'
import type { BulletinService } from './bulletin.service.ts'
import type { MailingListService } from './mailing-list.service.ts'

const CTX: AuditContext = { userId: null, actor: 'cli', ip: null, requestId: null }
const SYSTEM: StaffUser = {
  id: '00000000-0000-7000-8000-000000000000',
  name: 'Demo data',
  email: 'demo@example.com',
  roles: [],
  permissions: new Set(['partnership.mailing']),
  boroughs: 'all',
}

/**
 * Subscribers who signed up and confirmed the way anyone does (the link taken from their confirmation
 * email in the outbox), and a bulletin sent to partners' news.
 */
export async function seedDemoMailing(
  platform: Platform,
  mailing: MailingListService,
  bulletins: BulletinService,
): Promise<string[]> {
  if ((await bulletins.list(SYSTEM)).length) return []
  const people = [
    { email: 'ana.silva@example.org', lists: ['partners-news', 'funding'] },
    { email: 'kwame.mensah@example.org', lists: ['partners-news', 'training'] },
    { email: 'joan.price@example.com', lists: ['home-library-news'] },
    { email: 'li.wei@example.net', lists: ['partners-news'] },
  ]
  const wording = 'Demo data: agreed at the partnership meeting.'
  for (const person of people) await mailing.signUp(CTX, { ...person, wording })
  const { rows } = await platform.outbox.list({ scope: null, limit: 100, offset: 0 })
  for (const row of rows.filter((r) => r.template === 'partnership-mailing-confirm')) {
    const token = row.personalisation_json.confirmUrl?.split('/').pop()
    if (token) await mailing.confirm(CTX, token)
  }
  const id = await bulletins.create(SYSTEM, CTX, {
    title: 'Partnership news: winter 2026',
    list: 'partners-news',
    body: [
      'Welcome to the first bulletin of the digital inclusion partnership.',
      '',
      '## Device amnesty',
      'Bring old phones and laptops to any library in January: we wipe them and pass them on.',
      '',
      '## Dates',
      '- Partnership meeting: second Thursday of February',
      '- Funding workshop: see https://www.rbkc.gov.uk',
    ].join('\n'),
  })
  const sent = await bulletins.send(SYSTEM, CTX, id)
  return [`Mailing list: ${people.length} subscribers; a bulletin sent to ${sent} of them`]
}
