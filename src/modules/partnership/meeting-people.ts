import type { Executor } from '#platform/database.ts'
import { isUuid } from '#platform/ids.ts'
import type { AccountService } from '../accounts/index.ts'
import type { PartnerService } from './partner.service.ts'

/** Where a meeting's attendees and an action's owners are found: staff accounts and partner contacts. */
export interface PeopleDeps {
  accounts: Pick<AccountService, 'loadStaffUser'>
  partners: PartnerService
}

/** A person chosen on a form (`user:<id>` or `contact:<id>`), with their name and organisation; null if none. */
export async function personChosen(deps: PeopleDeps, tx: Executor, choice: string) {
  const [kind, id = ''] = choice.split(':')
  if (kind === 'user' && isUuid(id)) {
    const user = await deps.accounts.loadStaffUser(id)
    if (user)
      return {
        user_id: user.id,
        contact_id: null,
        name: user.name,
        organisation_id: null,
        organisation_name: null,
      }
  }
  if (kind === 'contact') {
    const contact = await deps.partners.findContact(id, tx)
    if (contact)
      return {
        user_id: null,
        contact_id: contact.id,
        name: contact.name,
        organisation_id: contact.organisation_id,
        organisation_name: await deps.partners.organisationName(contact.organisation_id, tx),
      }
  }
  return null
}
