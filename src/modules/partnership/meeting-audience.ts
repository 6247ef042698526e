import type { Database } from '#platform/database.ts'
import { isUuid } from '#platform/ids.ts'
import type { AccountService } from '../accounts/index.ts'
import type { Attendance } from './action.ts'
import { normaliseEmail } from './mailing-rules.ts'
import { meetingRepository as repo } from './meeting.repository.ts'
import type { PartnerService } from './partner.service.ts'

export interface AttendeeAddress {
  email: string
  name: string
  userId: string | null
  contactId: string | null
  attendance: Attendance
}

/**
 * The people a bulletin to a meeting's attendees goes to: partner contacts with an email and staff
 * accounts who attended, and those who sent apologies too when asked. One message per address, even if
 * a person was recorded twice. Read outside any transaction: accounts come through their own module.
 */
export function meetingAudience(
  database: Database,
  deps: { accounts: Pick<AccountService, 'loadStaffUser'>; partners: Pick<PartnerService, 'findContact'> },
) {
  return async function attendeeAddresses(
    meetingId: string,
    withApologies: boolean,
  ): Promise<{ meeting: { id: string; title: string; heldOn: string }; people: AttendeeAddress[] } | null> {
    const meeting = isUuid(meetingId) ? await repo.findMeeting(database.db, meetingId) : undefined
    if (!meeting) return null
    const people = new Map<string, AttendeeAddress>()
    for (const a of await repo.attendeesOf(database.db, meeting.id)) {
      if (a.attendance === 'apologies' && !withApologies) continue
      let email: string | null = null
      if (a.user_id) email = (await deps.accounts.loadStaffUser(a.user_id))?.email ?? null
      else if (a.contact_id) email = (await deps.partners.findContact(a.contact_id))?.email ?? null
      if (!email) continue
      const key = normaliseEmail(email)
      // Someone recorded both as attending and with apologies attended.
      if (people.get(key)?.attendance === 'attended') continue
      people.set(key, {
        email: key,
        name: a.name,
        userId: a.user_id,
        contactId: a.contact_id,
        attendance: a.attendance,
      })
    }
    return {
      meeting: { id: meeting.id, title: meeting.title, heldOn: meeting.held_on },
      people: [...people.values()].sort((x, y) => x.email.localeCompare(y.email)),
    }
  }
}

export type AttendeeAddresses = ReturnType<typeof meetingAudience>
