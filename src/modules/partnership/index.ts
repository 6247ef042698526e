import { z } from 'zod'
import type { PeriodicJob } from '#platform/jobs.ts'
import { defineModule, type ServiceOf } from '#platform/module.ts'
import { draftBulletinsFromMinutes } from './bulletin.events.ts'
import { bulletinRoutes } from './bulletin.routes.ts'
import { bulletinService } from './bulletin.service.ts'
import locale from './locales/en.json' with { type: 'json' }
import { seedDemoMailing } from './mailing-demo.ts'
import { mailingListService } from './mailing-list.service.ts'
import { mailingMessages } from './mailing-messages.ts'
import { mailingPersonalData } from './mailing-personal-data.ts'
import type { ListCode } from './mailing-rules.ts'
import { migration as m202612020130 } from './migrations/202612020130_partnership_mailing_tables.ts'
import { subscribeRoutes } from './subscribe.routes.ts'

const permissions = {
  'partnership.mailing': {
    description: 'Write and send the partnership’s bulletins, and see the mailing lists and who each went to',
    roles: ['partnership-lead'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

/** Emails are in English: a list's name as the locale file has it. */
const listName = (code: string) => locale.partnership.mailing.lists[code as ListCode]?.name ?? code

/**
 * The partnership: its mailing lists (public sign-up with double opt-in, one-click unsubscribe, bounces
 * and complaints) and bulletins, drafted from a meeting's closed minutes or written in the Hub.
 */
export const partnershipModule = defineModule({
  name: 'partnership',
  folder: 'src/modules/partnership',
  permissions,
  migrations: { '202612020130_partnership_mailing_tables': m202612020130 },
  messages: mailingMessages,
  settings: z.object({
    PARTNERSHIP_MAILING_CONFIRM_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(720)
      .default(72)
      .describe('How long a mailing list confirmation link works, in hours'),
  }),
  personalData: mailingPersonalData,
  events: { publishes: ['partnership.minutes-closed'], listens: ['partnership.minutes-closed'] },
  create({ platform, settings, events }) {
    const confirmHours = settings.PARTNERSHIP_MAILING_CONFIRM_HOURS
    const mailing = mailingListService(platform, { confirmHours, listName })
    const bulletins = bulletinService(platform, { mailing, listName })
    draftBulletinsFromMinutes(events, bulletins)
    return {
      service: { mailing, bulletins },
      staffNav: [{ href: '/staff/partnership/bulletins', text: 'Bulletins', access: 'partnership.mailing' }],
      routes(app) {
        subscribeRoutes(app, mailing, bulletins, { confirmHours })
        bulletinRoutes(app, bulletins, mailing)
      },
      loadReferenceData: () => mailing.loadLists(),
      seedDemo: () => seedDemoMailing(platform, mailing, bulletins),
      jobs: [
        {
          name: 'partnership.follow-bulletin-deliveries',
          everyMinutes: 1,
          run: () => bulletins.followDeliveries().then(() => {}),
        },
      ] satisfies PeriodicJob[],
    }
  },
})

export type PartnershipService = ServiceOf<typeof partnershipModule>
