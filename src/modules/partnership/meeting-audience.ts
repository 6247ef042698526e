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
  deps: { accounts: Pick<AccountService, 'activeEmails'>; partners: Pick<PartnerService, 'contactsById'> },
) {
  return async function attendeeAddresses(
    meetingId: string,
    withApologies: boolean,
  ): Promise<{ meeting: { id: string; title: string; heldOn: string }; people: AttendeeAddress[] } | null> {
    const meeting = isUuid(meetingId) ? await repo.findMeeting(database.db, meetingId) : undefined
    if (!meeting) return null
    const attendees = (await repo.attendeesOf(database.db, meeting.id)).filter(
      (a) => withApologies || a.attendance !== 'apologies',
    )
    // Every attendee's address in two queries, one for staff and one for partner contacts.
    const [staffEmails, contacts] = await Promise.all([
      deps.accounts.activeEmails(attendees.flatMap((a) => (a.user_id ? [a.user_id] : []))),
      deps.partners.contactsById(
        attendees.flatMap((a) => (!a.user_id && a.contact_id ? [a.contact_id] : [])),
      ),
    ])
    const contactEmails = new Map(contacts.map((c) => [c.id, c.email]))
    const people = new Map<string, AttendeeAddress>()
    for (const a of attendees) {
      const email = a.user_id
        ? staffEmails.get(a.user_id)
        : a.contact_id
          ? contactEmails.get(a.contact_id)
          : undefined
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
