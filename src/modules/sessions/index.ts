import { z } from 'zod'
import type { PeriodicJob } from '#platform/jobs.ts'
import { defineModule, type ServiceOf } from '#platform/module.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { PersonService } from '../people/index.ts'
import { sessionsChangeRoutes } from './changes.routes.ts'
import { seedDemoSessions } from './demo.ts'
import { migration as m202612012310 } from './migrations/202612012310_sessions_tables.ts'
import { migration as m202612020130 } from './migrations/202612020130_sessions_skills.ts'
import { migration as m202612020415 } from './migrations/202612020415_sessions_changes.ts'
import { migration as m202612020800 } from './migrations/202612020800_sessions_list_version.ts'
import { migration as m202612031200 } from './migrations/202612031200_sessions_offers_due.ts'
import { sessionsPublicRoutes } from './public.routes.ts'
import { sessionMessages } from './session.messages.ts'
import { sessionPersonalData } from './session.personal-data.ts'
import { type RequestToBook, sessionService } from './session.service.ts'
import { sessionsSkillsRoutes } from './skills.routes.ts'
import { skillsService } from './skills.service.ts'
import { sessionsStaffRoutes } from './staff.routes.ts'
import { sessionsWeekRoutes } from './week.routes.ts'

const permissions = {
  'sessions.view': {
    description: 'See digital help sessions, their bookings and waiting lists in your boroughs',
    roles: ['manager', 'triage-officer', 'volunteer-coordinator', 'volunteer'],
  },
  'sessions.manage': {
    description: 'Create and change digital help sessions and series',
    roles: ['manager', 'volunteer-coordinator'],
  },
  'sessions.book': {
    description: 'Book people onto sessions on their behalf, from a referral, the phone or a walk-in',
    roles: ['manager', 'triage-officer', 'volunteer-coordinator', 'volunteer'],
  },
  'sessions.register': {
    description: 'Take the register at a session: attended, no-show, cancelled late',
    roles: ['manager', 'volunteer-coordinator', 'volunteer'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

declare module '#platform/events.ts' {
  interface HubEvents {
    /** A place was booked or claimed; `needId` is the referral need it answers, if any. */
    'sessions.booked': { bookingId: string; needId: string | null }
    /** Someone was marked as attending; `first` on their first attendance of that booking. */
    'sessions.attended': { bookingId: string; needId: string | null; first: boolean }
  }
}

/**
 * Digital help sessions: IT clinics, one-to-ones, coding clubs and courses at a library, at home or online;
 * public booking at /sessions with waiting lists that move by themselves; the staff pages and the register.
 */
export const sessionsModule = defineModule({
  name: 'sessions',
  folder: 'src/modules/sessions',
  permissions,
  migrations: {
    '202612012310_sessions_tables': m202612012310,
    '202612020130_sessions_skills': m202612020130,
    '202612020415_sessions_changes': m202612020415,
    '202612020800_sessions_list_version': m202612020800,
    '202612031200_sessions_offers_due': m202612031200,
  },
  messages: sessionMessages,
  settings: z.object({
    SESSIONS_OFFER_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(168)
      .default(24)
      .describe(
        'How long a freed place is kept for the next person on the waiting list (moved past the night)',
      ),
  }),
  personalData: sessionPersonalData,
  events: { publishes: ['sessions.booked', 'sessions.attended'], listens: ['people.merged'] },
  uses: ['directory', 'accounts', 'people', 'referrals'],
  create({ platform, settings, events, service }) {
    const sessions = sessionService(platform, {
      events,
      directory: service<DirectoryService>('directory'),
      people: service<PersonService>('people'),
      accounts: service<AccountService>('accounts'),
      referrals: service<RequestToBook>('referrals'),
      offerHours: settings.SESSIONS_OFFER_HOURS,
    })
    const skills = skillsService(platform, { people: service<PersonService>('people') })
    events.on('people.merged', async (tx, { fromId, toId }) => {
      await sessions.followMerge(tx, fromId, toId)
      await skills.followMerge(tx, fromId, toId)
    })
    const system = { userId: null, actor: 'system', ip: null, requestId: null }
    return {
      service: { ...sessions, skills },
      staffNav: [{ href: '/staff/sessions', text: 'Sessions', access: 'sessions.view' }],
      routes(app) {
        sessionsPublicRoutes(app, sessions, service<DirectoryService>('directory'), {
          cookieSecure: platform.config.cookieSecure,
        })
        sessionsStaffRoutes(app, sessions, skills, service<DirectoryService>('directory'))
        sessionsSkillsRoutes(app, skills)
        sessionsChangeRoutes(app, sessions, service<DirectoryService>('directory'))
        sessionsWeekRoutes(app, sessions)
      },
      seedDemo: () =>
        seedDemoSessions(sessions, service<DirectoryService>('directory'), (at) =>
          // Demo learners' checks are dated weeks apart, to show progress over time.
          skillsService(platform, { people: service<PersonService>('people'), now: () => at }),
        ),
      jobs: [
        {
          name: 'sessions.expire-offers',
          everyMinutes: 5,
          run: () => sessions.expireOffers(system).then(() => {}),
        },
        { name: 'sessions.reminders', everyMinutes: 60, run: () => sessions.sendReminders().then(() => {}) },
      ] satisfies PeriodicJob[],
    }
  },
})

export type SessionsModuleService = ServiceOf<typeof sessionsModule>
