import { requireInScope, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation, type Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { NewMessage } from '#platform/outbox.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { PersonService } from '../people/index.ts'
import { newReference, parseReference } from '../referrals/index.ts'
import type { WeeklyRule } from './recurrence.ts'
import { type BookingTable, sessionRepository as repo } from './session.repository.ts'
import { contactKey, needsCarer, offerDeadline, type SessionKind, type Venue } from './session.ts'

export interface NewSession {
  boroughId: string
  kind: SessionKind
  title: string
  description: string
  venue: Venue
  locationId: string | null
  serviceCode: string | null
  onlineLink: string | null
  language: string
  whatToBring: string | null
  capacity: number
  facilitators: string[]
  rule: WeeklyRule
}

export interface NewBooking {
  occurrenceId: string
  name: string
  email: string | null
  phone: string | null
  /** Channels the person said are safe to use for reminders and offers. */
  canEmail: boolean
  canText: boolean
  carerName: string | null
  carerContact: string | null
  carerConsent: boolean
}

export interface BookingResult {
  reference: string
  status: 'booked' | 'waiting'
}

/** What the referrals module offers for booking a referral's skills request (its service, by its manifest). */
export interface RequestToBook {
  openRequestById(
    user: StaffUser,
    needId: string,
    kinds: readonly 'skills'[],
  ): Promise<
    | { needId: string; personId: string; boroughId: string; residentName: string; reference: string }
    | undefined
  >
}

/** A wrong contact detail and an unknown reference get the same answer: nothing is given away. */
const NOT_THEIRS = 'sessions.errors.notTheirs'

export interface SessionDeps {
  events: ModuleEvents
  directory: Pick<DirectoryService, 'reportCapacity' | 'listLibraries'>
  people: Pick<PersonService, 'create'>
  accounts: Pick<AccountService, 'accountsFor'>
  referrals: RequestToBook
  offerHours: number
  now?: () => Date
}

/**
 * What the use cases of sessions share: the platform, the other modules' services, the clock, and the steps
 * more than one use case takes (booking a place, offering a freed place, telling someone, finding a date).
 */
export function sessionContext(platform: Platform, deps: SessionDeps) {
  const { database, audit, outbox } = platform
  const { db } = database
  const now = deps.now ?? (() => new Date())

  /** Publishes the next free place of the session's directory service with the change that moved it. */
  async function reportCapacity(tx: Tx, serviceCode: string | null) {
    if (!serviceCode) return
    const next = await repo.nextFreePlaces(tx, serviceCode, now().toISOString())
    await deps.directory.reportCapacity(
      {
        service: serviceCode,
        unit: 'places',
        available: next ? next.capacity - next.booked : 0,
        maximum: next?.capacity,
        description: next ? `Next free place: ${next.starts_at}` : 'No free places',
      },
      tx,
    )
  }

  /** Offers freed places at an occurrence to the waiting list, first in line first, once each. */
  async function offerNext(tx: Tx, occurrenceId: string) {
    for (const waiting of await repo.waitingList(tx, occurrenceId)) {
      if (!(await repo.takePlace(tx, occurrenceId))) return
      const expires = offerDeadline(now(), deps.offerHours)
      const moved = await repo.moveBooking(tx, waiting.id, 'waiting', {
        status: 'offered',
        offer_expires_at: expires,
        updated_at: nowIso(),
      })
      if (!moved) {
        await repo.freePlace(tx, occurrenceId)
        continue
      }
      await tell(tx, waiting, 'sessions-place-offered', { expires })
    }
  }

  /** The messages for one person: only on the channels they said are safe. */
  function messagesTo(
    booking: Pick<BookingTable, 'name' | 'reference' | 'email' | 'phone' | 'can_email' | 'can_text'>,
    template: string,
    extra: Record<string, string> = {},
  ): NewMessage[] {
    const url = `${platform.config.publicUrl}/sessions/booking`
    const personalisation = { name: booking.name, reference: booking.reference, url, ...extra }
    return [
      ...(booking.can_email && booking.email
        ? [{ channel: 'email' as const, template, recipient: booking.email, personalisation }]
        : []),
      ...(booking.can_text && booking.phone
        ? [{ channel: 'sms' as const, template, recipient: booking.phone, personalisation }]
        : []),
    ]
  }

  /** A message only on the channels the person said are safe. */
  async function tell(
    tx: Tx,
    booking: Parameters<typeof messagesTo>[0],
    template: string,
    extra: Record<string, string> = {},
  ) {
    await outbox.enqueueMany(tx, messagesTo(booking, template, extra))
  }

  async function bookableOccurrence(tx: Tx | typeof db, occurrenceId: string) {
    const occurrence = isUuid(occurrenceId) ? await repo.findOccurrence(tx, occurrenceId) : undefined
    if (!occurrence) throw new NotFound()
    if (occurrence.is_cancelled || occurrence.session_cancelled)
      throw new Invalid('sessions.errors.cancelled', 'occurrence')
    if (occurrence.starts_at <= now().toISOString()) throw new Invalid('sessions.errors.past', 'occurrence')
    return occurrence
  }

  async function insertWithReference(tx: Tx, row: Omit<BookingTable, 'reference'>): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const reference = newReference()
      try {
        // A savepoint would be needed to retry inside one transaction on PostgreSQL; a clash is one in 10^12.
        await repo.insertBooking(tx, { ...row, reference })
        return reference
      } catch (error) {
        if (!isUniqueViolation(error) || attempt > 0) throw error
      }
    }
  }

  async function bookIn(
    input: NewBooking,
    ctx: AuditContext,
    link: { personId: string | null; needId: string | null; boroughId?: string },
    tx: Tx,
  ): Promise<BookingResult & { id: string }> {
    if (isUuid(input.occurrenceId)) await repo.lockOccurrence(tx, input.occurrenceId)
    const occurrence = await bookableOccurrence(tx, input.occurrenceId)
    if (needsCarer(occurrence.kind) && (!input.carerName || !input.carerContact))
      throw new Invalid('sessions.errors.carerMissing', 'carerName')
    if (needsCarer(occurrence.kind) && !input.carerConsent)
      throw new Invalid('sessions.errors.consentMissing', 'carerConsent')
    const got = await repo.takePlace(tx, occurrence.id)
    const at = nowIso()
    const id = newId()
    const reference = await insertWithReference(tx, {
      id,
      occurrence_id: occurrence.id,
      borough_id: occurrence.borough_id,
      person_id: link.personId,
      need_id: link.needId,
      status: got ? 'booked' : 'waiting',
      name: input.name,
      email: input.email,
      phone: input.phone,
      contact_key: contactKey(input.email) ?? contactKey(input.phone),
      can_email: input.canEmail && !!input.email,
      can_text: input.canText && !!input.phone,
      carer_name: input.carerName,
      carer_contact: input.carerContact,
      has_carer_consent: input.carerConsent,
      waiting_since: got ? null : at,
      moved_reason: null,
      offer_expires_at: null,
      is_reminded: false,
      created_at: at,
      updated_at: at,
    })
    await audit.record(tx, ctx, {
      action: got ? 'sessions.booked' : 'sessions.waiting',
      recordType: 'session-booking',
      recordId: id,
    })
    if (got) {
      await deps.events.publish(tx, 'sessions.booked', { bookingId: id, needId: link.needId })
      await reportCapacity(tx, occurrence.service_code)
    }
    return { id, reference, status: got ? 'booked' : 'waiting' }
  }

  /** The booking a reference names, if the contact detail given is the one it was made with. */
  async function theirs(tx: Tx | typeof db, referenceInput: string, contact: string) {
    const reference = parseReference(referenceInput)
    const booking = reference ? await repo.findByReference(tx, reference) : undefined
    const key = contactKey(contact)
    if (!booking || !key || booking.contact_key !== key) throw new Invalid(NOT_THEIRS, 'reference')
    return booking
  }

  async function staffOccurrence(user: StaffUser, occurrenceId: string, tx: Tx | typeof db = db) {
    const occurrence = isUuid(occurrenceId) ? await repo.findOccurrence(tx, occurrenceId) : undefined
    if (!occurrence) throw new NotFound()
    requireInScope(user, occurrence.borough_id)
    return occurrence
  }

  return {
    platform,
    deps,
    db,
    audit,
    now,
    reportCapacity,
    offerNext,
    messagesTo,
    bookableOccurrence,
    bookIn,
    theirs,
    staffOccurrence,
  }
}

export type SessionContext = ReturnType<typeof sessionContext>
