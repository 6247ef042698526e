import { z } from 'zod'
import { can } from '#platform/access.ts'
import type { PeriodicJob } from '#platform/jobs.ts'
import { type DashboardItem, defineModule, type ServiceOf } from '#platform/module.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { ReferralsModuleService } from '../referrals/index.ts'
import { actionService } from './action.service.ts'
import { draftBulletinsFromMinutes } from './bulletin.events.ts'
import { bulletinRoutes } from './bulletin.routes.ts'
import { bulletinService } from './bulletin.service.ts'
import { seedDemoPartnership } from './demo.ts'
import locale from './locales/en.json' with { type: 'json' }
import { mailEventsRoutes } from './mail-events.routes.ts'
import { mailReportService } from './mail-reports.service.ts'
import { seedDemoMailing } from './mailing-demo.ts'
import { mailingListService } from './mailing-list.service.ts'
import { mailingMessages } from './mailing-messages.ts'
import { mailingPersonalData } from './mailing-personal-data.ts'
import type { ListCode } from './mailing-rules.ts'
import { meetingRoutes } from './meeting.routes.ts'
import { meetingService } from './meeting.service.ts'
import { meetingAudience } from './meeting-audience.ts'
import { migration as m202612020132 } from './migrations/202612020130_partnership_mailing_tables.ts'
import { migration as m202612020130 } from './migrations/202612020130_partnership_partners.ts'
import { migration as m202612020131 } from './migrations/202612020131_partnership_meetings.ts'
import { migration as m202612020410 } from './migrations/202612020410_partnership_bulletin_audience.ts'
import { migration as m202612020440 } from './migrations/202612020440_partnership_action_owner_indexes.ts'
import { migration as m202612020730 } from './migrations/202612020730_partnership_actions_version.ts'
import { migration as m202612020800 } from './migrations/202612020800_partnership_action_open_index.ts'
import { openActionRoutes } from './open-actions.routes.ts'
import { openActionsService } from './open-actions.service.ts'
import { partnerRoutes } from './partner.routes.ts'
import { partnerService } from './partner.service.ts'
import { partnershipMessages } from './partnership.messages.ts'
import { partnershipPersonalData } from './partnership.personal-data.ts'
import { subscribeRoutes } from './subscribe.routes.ts'

const permissions = {
  'partnership.view': {
    description: 'See partner organisations, data-sharing agreements, meetings and actions',
    roles: ['partnership-lead', 'manager'],
  },
  'partnership.manage': {
    description: 'Record partners, data-sharing agreements, meetings, minutes and actions',
    roles: ['partnership-lead'],
  },
  'partnership.mailing': {
    description: 'Write and send the partnership’s bulletins, and see the mailing lists and who each went to',
    roles: ['partnership-lead'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

declare module '#platform/events.ts' {
  interface HubEvents {
    /** A meeting's minutes were closed: its decisions and public actions, for the follow-up bulletin. */
    'partnership.minutes-closed': {
      meetingId: string
      title: string
      /** YYYY-MM-DD */
      heldOn: string
      decisions: string[]
      publicActions: { text: string; owners: string[]; dueOn: string }[]
    }
  }
}

/** Emails are in English: a list's name as the locale file has it. */
const listName = (code: string) => locale.partnership.mailing.lists[code as ListCode]?.name ?? code

/**
 * The bi-borough digital inclusion partnership: partner organisations (the directory's, with what the
 * partnership knows of them), data-sharing agreements that gate every disclosure of a resident's data to a
 * partner, meetings with minutes and decisions, and follow-up actions with owners and reminders; its
 * mailing lists (public sign-up with double opt-in, one-click unsubscribe, bounces and complaints) and
 * bulletins, drafted from a meeting's closed minutes or written in the Hub.
 */
export const partnershipModule = defineModule({
  name: 'partnership',
  folder: 'src/modules/partnership',
  permissions,
  migrations: {
    '202612020130_partnership_partners': m202612020130,
    '202612020131_partnership_meetings': m202612020131,
    '202612020130_partnership_mailing_tables': m202612020132,
    '202612020410_partnership_bulletin_audience': m202612020410,
    '202612020440_partnership_action_owner_indexes': m202612020440,
    '202612020730_partnership_actions_version': m202612020730,
    '202612020800_partnership_action_open_index': m202612020800,
  },
  messages: { ...partnershipMessages, ...mailingMessages },
  settings: z.object({
    PARTNERSHIP_LEAD_EMAIL: z
      .email()
      .default('partnership-lead@hub.example')
      .describe('Where warnings of data-sharing agreements due for review go'),
    PARTNERSHIP_AGREEMENT_WARNING_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(180)
      .default(30)
      .describe('How many days before its review date an agreement in force warns the partnership lead'),
    PARTNERSHIP_ACTION_REMINDER_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30)
      .default(3)
      .describe('How many days before and after its due date an open action reminds its owners'),
    PARTNERSHIP_MAILING_CONFIRM_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(720)
      .default(72)
      .describe('How long a mailing list confirmation link works, in hours'),
    PARTNERSHIP_MAIL_EVENTS_SECRET: z
      .string()
      .min(32)
      .optional()
      .describe(
        'Shared with the mail provider: signs its webhook of bounces and complaints (HMAC-SHA256 of the body in X-Hub-Signature-256); without it the webhook accepts nothing',
      ),
  }),
  personalData: { ...partnershipPersonalData, ...mailingPersonalData },
  events: { publishes: ['partnership.minutes-closed'], listens: ['partnership.minutes-closed'] },
  uses: ['directory', 'accounts', 'referrals'],
  create({ platform, settings, events, service }) {
    const directory = service<DirectoryService>('directory')
    const accounts = service<AccountService>('accounts')
    const partners = partnerService(platform, {
      directory,
      leadEmail: settings.PARTNERSHIP_LEAD_EMAIL,
      lapseWarningDays: settings.PARTNERSHIP_AGREEMENT_WARNING_DAYS,
    })
    const meetings = meetingService(platform, { accounts, partners, events })
    const actions = actionService(platform, {
      accounts,
      partners,
      reminderDays: settings.PARTNERSHIP_ACTION_REMINDER_DAYS,
    })
    // Every disclosure of a resident's data to a partner is checked against the agreements register.
    service<ReferralsModuleService>('referrals').registerDisclosureCheck(partners.checkDisclosure)
    const confirmHours = settings.PARTNERSHIP_MAILING_CONFIRM_HOURS
    const mailing = mailingListService(platform, { confirmHours, listName })
    const attendees = meetingAudience(platform.database, { accounts, partners })
    const bulletins = bulletinService(platform, { mailing, listName, attendees })
    const mailReports = mailReportService(platform, { mailing })
    draftBulletinsFromMinutes(events, bulletins)
    return {
      service: { ...partners, ...meetings, ...actions, mailing, bulletins, mailReports },
      staffNav: [
        { href: '/staff/partnership', text: 'Partnership', access: 'partnership.view' },
        { href: '/staff/partnership/bulletins', text: 'Bulletins', access: 'partnership.mailing' },
      ],
      async dashboard(user) {
        const mine = await actions.myActions(user)
        const items: DashboardItem[] = [
          {
            section: 'waiting',
            text: 'partnership.dashboard.myActions',
            count: mine.open.length,
            href: '/staff/partnership/my-actions',
          },
        ]
        if (can(user, 'partnership.view'))
          items.push({
            section: 'can',
            text: 'partnership.dashboard.partnership',
            hint: 'partnership.dashboard.partnershipHint',
            href: '/staff/partnership',
          })
        return items
      },
      seedDemo: async () => [
        ...(await seedDemoPartnership(partners, meetings, actions, directory)),
        ...(await seedDemoMailing(platform, mailing, bulletins)),
      ],
      loadReferenceData: () => mailing.loadLists(),
      routes(app) {
        partnerRoutes(app, partners)
        meetingRoutes(app, meetings, actions)
        openActionRoutes(app, actions, openActionsService(platform))
        subscribeRoutes(app, mailing, bulletins, { confirmHours })
        bulletinRoutes(app, bulletins, mailing)
        mailEventsRoutes(app, mailReports, settings.PARTNERSHIP_MAIL_EVENTS_SECRET)
      },
      jobs: [
        {
          name: 'partnership.agreements-review',
          everyMinutes: 60,
          run: (now) => partners.reviewAgreements(now).then(() => {}),
        },
        {
          name: 'partnership.action-reminders',
          everyMinutes: 60,
          run: (now) => actions.sendReminders(now).then(() => {}),
        },
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
