import { defineModule, type ServiceOf } from '#platform/module.ts'
import { migration as m202612020130 } from './migrations/202612020130_partnership_partners.ts'
import { migration as m202612020131 } from './migrations/202612020131_partnership_meetings.ts'
import { partnershipPersonalData } from './partnership.personal-data.ts'

const permissions = {
  'partnership.view': {
    description: 'See partner organisations, data-sharing agreements, meetings and actions',
    roles: ['partnership-lead', 'manager'],
  },
  'partnership.manage': {
    description: 'Record partners, data-sharing agreements, meetings, minutes and actions',
    roles: ['partnership-lead'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

/**
 * The bi-borough digital inclusion partnership: partner organisations (the directory's, with what the
 * partnership knows of them), data-sharing agreements that gate every disclosure of a resident's data to a
 * partner, meetings with minutes and decisions, and follow-up actions with owners and reminders.
 */
export const partnershipModule = defineModule({
  name: 'partnership',
  folder: 'src/modules/partnership',
  permissions,
  migrations: {
    '202612020130_partnership_partners': m202612020130,
    '202612020131_partnership_meetings': m202612020131,
  },
  personalData: partnershipPersonalData,
  uses: ['directory', 'accounts', 'referrals'],
  create() {
    return {}
  },
})

export type PartnershipService = ServiceOf<typeof partnershipModule>
