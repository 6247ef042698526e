import { defineModule, type ServiceOf } from '#platform/module.ts'
import { migration as m0010 } from './migrations/0010_people.ts'
import { migration as m0015 } from './migrations/0015_partial_indexes_people.ts'
import { migration as m202612030400 } from './migrations/202612030400_people_candidates_order.ts'
import { personPersonalData } from './person.personal-data.ts'
import { personService } from './person.service.ts'

export { isMobile, nameKey, phoneKey } from './person.ts'

const permissions = {
  'people.view': {
    description: 'See the records of the residents of your boroughs, and their possible duplicates',
    roles: ['manager', 'triage-officer'],
  },
  'people.merge': {
    description: 'Merge two records of one resident, or mark them as different people',
    roles: ['triage-officer'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

declare module '#platform/events.ts' {
  interface HubEvents {
    /** Two records were one person: every module moves its rows from `fromId` to `toId`. */
    'people.merged': { fromId: string; toId: string }
  }
}

/**
 * The resident record shared by every module, and the matching and merging of duplicates. Staff see and
 * merge people on the pages of the module that brought them (a referral's case page).
 */
export const peopleModule = defineModule({
  name: 'people',
  folder: 'src/modules/people',
  permissions,
  migrations: {
    '0010_people': m0010,
    '0015_partial_indexes_people': m0015,
    '202612030400_people_candidates_order': m202612030400,
  },
  personalData: personPersonalData,
  events: { publishes: ['people.merged'] },
  create({ platform, events }) {
    return { service: personService(platform, events) }
  },
})

export type PersonService = ServiceOf<typeof peopleModule>
