import type { NavItem } from '#platform/http.ts'
import type { Platform } from '#platform/platform.ts'
import { personService } from './person.service.ts'

/** The resident record shared by every module, and the matching and merging of duplicates. */
export function peopleModule(platform: Platform) {
  const service = personService(platform)
  const staffNav: NavItem[] = []
  return {
    service,
    staffNav,
    async loadReferenceData() {},
    // Staff see and merge people on the pages of the module that brought them (a referral's case page).
    routes() {},
  }
}
