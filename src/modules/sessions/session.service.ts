import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { isUniqueViolation, type Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { PersonService } from '../people/index.ts'
import { newReference, parseReference } from '../referrals/index.ts'
import { checkRule, expand, formatRule, type WeeklyRule } from './recurrence.ts'
import { type BookingTable, sessionRepository as repo } from './session.repository.ts'
import {
  type Attendance,
  bookedAsSeries,
  contactKey,
  needsCarer,
  offerDeadline,
  type SessionKind,
  type Venue,
} from './session.ts'

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

/** Use cases of digital help sessions: sessions and series, bookings, waiting lists, the register. */
export function sessionService(
  platform: Platform,
  deps: {
    events: ModuleEvents
    directory: Pick<DirectoryService, 'reportCapacity' | 'listLibraries'>
    people: Pick<PersonService, 'create'>
    referrals: RequestToBook
    offerHours: number
    now?: () => Date
  },
) {
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

  /** A message only on the channels the person said are safe. */
  async function tell(
    tx: Tx,
    booking: Pick<BookingTable, 'name' | 'reference' | 'email' | 'phone' | 'can_email' | 'can_text'>,
    template: string,
    extra: Record<string, string> = {},
  ) {
    const url = `${platform.config.publicUrl}/sessions/booking`
    const personalisation = { name: booking.name, reference: booking.reference, url, ...extra }
    if (booking.can_email && booking.email)
      await outbox.enqueue(tx, { channel: 'email', template, recipient: booking.email, personalisation })
    if (booking.can_text && booking.phone)
      await outbox.enqueue(tx, { channel: 'sms', template, recipient: booking.phone, personalisation })
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
    boroughs: () => listBoroughs(db),

    /** A one-off session or a weekly series, with its dates made now from the rule. */
    async createSession(user: StaffUser, input: NewSession, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'sessions.manage')
      requireInScope(user, input.boroughId)
      const problem = checkRule(input.rule)
      if (problem) throw new Invalid(`sessions.errors.rule.${problem.problem}`, ruleField(problem.problem))
      const occurrences = expand(input.rule)
      if (!occurrences.length || (occurrences[0]?.startsAt ?? '') <= now().toISOString())
        throw new Invalid('sessions.errors.past', 'start')
      if (input.venue === 'place') {
        const place = (await deps.directory.listLibraries()).find((l) => l.id === input.locationId)
        if (!place || place.borough_id !== input.boroughId)
          throw new Invalid('sessions.errors.place', 'locationId')
      }
      const id = newId()
      const at = nowIso()
      await db.transaction().execute(async (tx) => {
        await repo.insertSession(
          tx,
          {
            id,
            borough_id: input.boroughId,
            kind: input.kind,
            title: input.title,
            description: input.description,
            venue: input.venue,
            location_id: input.venue === 'place' ? input.locationId : null,
            service_code: input.serviceCode,
            online_link: input.venue === 'online' ? input.onlineLink : null,
            language: input.language,
            what_to_bring: input.whatToBring,
            capacity: input.capacity,
            recurrence: formatRule(input.rule),
            is_cancelled: false,
            created_at: at,
            updated_at: at,
          },
          input.facilitators,
        )
        await repo.insertOccurrences(
          tx,
          occurrences.map((o) => ({
            id: newId(),
            session_id: id,
            borough_id: input.boroughId,
            original_date: o.date,
            starts_at: o.startsAt,
            ends_at: o.endsAt,
            capacity: input.capacity,
            booked: 0,
            is_cancelled: false,
            change_note: null,
          })),
        )
        await audit.record(tx, ctx, { action: 'sessions.created', recordType: 'session', recordId: id })
        await reportCapacity(tx, input.serviceCode)
      })
      return id
    },

    /** Staff list of the sessions in the caller's boroughs. */
    async staffList(user: StaffUser) {
      requirePermission(user, 'sessions.view')
      return repo.staffSessions(db, scopeFilter(user), now().toISOString())
    },

    /** A session and its dates, for staff. */
    async staffSession(user: StaffUser, id: string) {
      requirePermission(user, 'sessions.view')
      const session = isUuid(id) ? await repo.findSession(db, id) : undefined
      if (!session) throw new NotFound()
      requireInScope(user, session.borough_id)
      return { session, occurrences: await repo.occurrencesOf(db, id) }
    },

    /** One date: its bookings, waiting list and register, for staff. */
    async register(user: StaffUser, occurrenceId: string, ctx: AuditContext) {
      requirePermission(user, 'sessions.view')
      const occurrence = await staffOccurrence(user, occurrenceId)
      const ids = bookedAsSeries(occurrence.kind)
        ? (await repo.occurrencesOf(db, occurrence.session_id)).slice(0, 1).map((o) => o.id)
        : [occurrence.id]
      const [bookings, marks] = await Promise.all([
        repo.bookingsOf(db, ids),
        repo.attendanceOf(db, occurrence.id),
      ])
      const marked = new Map(marks.map((m) => [m.booking_id, m.status]))
      await audit.record(db, ctx, {
        action: 'sessions.register-viewed',
        recordType: 'session-occurrence',
        recordId: occurrence.id,
      })
      return {
        occurrence,
        bookings: bookings.map((b) => ({ ...b, attendance: marked.get(b.id) ?? null })),
      }
    },

    /** Marks one person at one date: attended, no-show or cancelled late. The first attendance moves a referral. */
    async mark(
      user: StaffUser,
      input: { occurrenceId: string; bookingId: string; status: Attendance },
      ctx: AuditContext,
    ) {
      requirePermission(user, 'sessions.register')
      await db.transaction().execute(async (tx) => {
        if (isUuid(input.occurrenceId)) await repo.lockOccurrence(tx, input.occurrenceId)
        const occurrence = await staffOccurrence(user, input.occurrenceId, tx)
        const booking = isUuid(input.bookingId) ? await repo.findBooking(tx, input.bookingId) : undefined
        if (!booking || booking.borough_id !== occurrence.borough_id || booking.status !== 'booked')
          throw new NotFound()
        await repo.upsertAttendance(tx, {
          id: newId(),
          booking_id: booking.id,
          occurrence_id: occurrence.id,
          status: input.status,
          marked_by_user_id: user.id,
          marked_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'sessions.attendance-marked',
          recordType: 'session-booking',
          recordId: booking.id,
          fields: ['status'],
        })
        if (input.status === 'attended') {
          const first = (await repo.attendedCount(tx, booking.id)) === 1
          await deps.events.publish(tx, 'sessions.attended', {
            bookingId: booking.id,
            needId: booking.need_id,
            first,
          })
        }
      })
    },

    /**
     * Moves someone one place up or down a waiting list, for a reason kept with the booking; audited. Only
     * the two who swap move; two who joined in the same instant are set a millisecond apart.
     */
    async moveOnList(
      user: StaffUser,
      input: { occurrenceId: string; bookingId: string; direction: 'up' | 'down'; reason: string },
      ctx: AuditContext,
    ) {
      requirePermission(user, 'sessions.manage')
      await db.transaction().execute(async (tx) => {
        if (isUuid(input.occurrenceId)) await repo.lockOccurrence(tx, input.occurrenceId)
        const occurrence = await staffOccurrence(user, input.occurrenceId, tx)
        const list = await repo.waitingList(tx, occurrence.id)
        const at = list.findIndex((b) => b.id === input.bookingId)
        if (at < 0) throw new NotFound()
        const moving = list[at]
        const other = list[input.direction === 'up' ? at - 1 : at + 1]
        if (!moving || !other)
          throw new Invalid(
            input.direction === 'up' ? 'sessions.errors.alreadyFirst' : 'sessions.errors.alreadyLast',
            'bookingId',
          )
        const otherSince = other.waiting_since ?? nowIso()
        const step = input.direction === 'up' ? -1 : 1
        const movedTo =
          otherSince === moving.waiting_since
            ? new Date(Date.parse(otherSince) + step).toISOString()
            : otherSince
        await repo.setWaiting(tx, moving.id, movedTo, input.reason)
        await repo.setWaiting(tx, other.id, moving.waiting_since, other.moved_reason)
        await audit.record(tx, ctx, {
          action: 'sessions.waiting-list-reordered',
          recordType: 'session-booking',
          recordId: moving.id,
          fields: ['waiting_since', 'moved_reason'],
        })
      })
    },

    /** The figures of a period (ISO instants, end excluded) for the caller's boroughs. */
    async figures(user: StaffUser, from: string, to: string) {
      requirePermission(user, 'sessions.view')
      const scope = scopeFilter(user)
      const [held, attendees] = await Promise.all([
        repo.heldBetween(db, scope, from, to),
        repo.attendeesBetween(db, scope, from, to),
      ])
      return { held, attendees }
    },

    /** Upcoming dates anyone may book, soonest first. */
    publicList: (filter: Parameters<typeof repo.publicOccurrences>[1], limit = 100) =>
      repo.publicOccurrences(db, filter, limit),

    /** One date as the public sees it (no link for an online session: that goes with the booking). */
    async publicOccurrence(id: string) {
      const occurrence = isUuid(id) ? await repo.findOccurrence(db, id) : undefined
      if (!occurrence || occurrence.session_cancelled) throw new NotFound()
      const { online_link: _hidden, ...shown } = occurrence
      return shown
    },

    /** A resident books (no account): a place if one is left, otherwise the waiting list. */
    async book(input: NewBooking, ctx: AuditContext): Promise<BookingResult> {
      const { reference, status } = await db
        .transaction()
        .execute((tx) => bookIn(input, ctx, { personId: null, needId: null }, tx))
      return { reference, status }
    },

    /** The referral's open skills request a booking would answer (from its case page), if in scope. */
    async requestToBook(user: StaffUser, needId: string) {
      requirePermission(user, 'sessions.book')
      return deps.referrals.openRequestById(user, needId, ['skills'])
    },

    /**
     * Staff book on someone's behalf (phone, walk-in), linked to a person record: the referral's person when
     * booked from its skills request, otherwise a new one. The request moves on through `sessions.booked`.
     */
    async bookOnBehalf(
      user: StaffUser,
      input: NewBooking & { personId: string | null; needId: string | null },
      ctx: AuditContext,
    ): Promise<BookingResult> {
      requirePermission(user, 'sessions.book')
      await staffOccurrence(user, input.occurrenceId)
      const request = input.needId
        ? await deps.referrals.openRequestById(user, input.needId, ['skills'])
        : undefined
      // A request closed meanwhile, or not the caller's to see: nothing is booked against it.
      if (input.needId && !request) throw new Invalid('sessions.errors.requestClosed', 'name')
      return db.transaction().execute(async (tx) => {
        await repo.lockOccurrence(tx, input.occurrenceId)
        const occurrence = await staffOccurrence(user, input.occurrenceId, tx)
        const personId =
          input.personId ??
          request?.personId ??
          (await deps.people.create(
            tx,
            {
              boroughId: occurrence.borough_id,
              fullName: input.name,
              dateOfBirth: null,
              ageRange: null,
              phone: input.phone,
              email: input.email,
              postcode: null,
              preferredLanguage: null,
            },
            ctx,
          ))
        const made = await bookIn(input, ctx, { personId, needId: request?.needId ?? null }, tx)
        return { reference: made.reference, status: made.status }
      })
    },

    /** What the person sees of their own booking, given its reference and their contact detail. */
    async mine(reference: string, contact: string) {
      const booking = await theirs(db, reference, contact)
      const occurrence = await repo.findOccurrence(db, booking.occurrence_id)
      if (!occurrence) throw new NotFound()
      const holds = booking.status === 'booked'
      return { booking, occurrence: { ...occurrence, online_link: holds ? occurrence.online_link : null } }
    },

    /** The confirmation of a booking this browser has just made (its reference is in a signed cookie). */
    async justMade(reference: string) {
      const booking = await repo.findByReference(db, reference)
      const occurrence = booking ? await repo.findOccurrence(db, booking.occurrence_id) : undefined
      if (!booking || !occurrence) throw new NotFound()
      return {
        status: booking.status,
        title: occurrence.title,
        starts_at: occurrence.starts_at,
        ends_at: occurrence.ends_at,
      }
    },

    /** Cancels a booking or leaves the waiting list; a freed place goes to the next in line. */
    async cancel(reference: string, contact: string, ctx: AuditContext) {
      const seen = await theirs(db, reference, contact)
      await db.transaction().execute(async (tx) => {
        await repo.lockOccurrence(tx, seen.occurrence_id)
        const booking = await theirs(tx, reference, contact)
        if (!['booked', 'offered', 'waiting'].includes(booking.status))
          throw new Invalid('sessions.errors.alreadyCancelled', 'reference')
        const moved = await repo.moveBooking(tx, booking.id, booking.status, {
          status: 'cancelled',
          updated_at: nowIso(),
        })
        if (!moved) throw new Invalid('sessions.errors.alreadyCancelled', 'reference')
        await audit.record(tx, ctx, {
          action: 'sessions.cancelled',
          recordType: 'session-booking',
          recordId: booking.id,
        })
        if (booking.status === 'waiting') return
        await repo.freePlace(tx, booking.occurrence_id)
        await offerNext(tx, booking.occurrence_id)
        const occurrence = await repo.findOccurrence(tx, booking.occurrence_id)
        await reportCapacity(tx, occurrence?.service_code ?? null)
      })
    },

    /** Takes up an offered place before the offer runs out. */
    async claim(reference: string, contact: string, ctx: AuditContext) {
      const seen = await theirs(db, reference, contact)
      await db.transaction().execute(async (tx) => {
        await repo.lockOccurrence(tx, seen.occurrence_id)
        const booking = await theirs(tx, reference, contact)
        if (booking.status !== 'offered' || (booking.offer_expires_at ?? '') <= now().toISOString())
          throw new Invalid('sessions.errors.noOffer', 'reference')
        const moved = await repo.moveBooking(tx, booking.id, 'offered', {
          status: 'booked',
          offer_expires_at: null,
          waiting_since: null,
          updated_at: nowIso(),
        })
        if (!moved) throw new Invalid('sessions.errors.noOffer', 'reference')
        await audit.record(tx, ctx, {
          action: 'sessions.claimed',
          recordType: 'session-booking',
          recordId: booking.id,
        })
        await deps.events.publish(tx, 'sessions.booked', { bookingId: booking.id, needId: booking.need_id })
      })
    },

    /** The job: offers not taken up in time lapse, and each freed place goes to the next in line. */
    async expireOffers(ctx: AuditContext, at = now(), limit = 200): Promise<number> {
      const due = await repo.expiredOffers(db, at.toISOString(), limit)
      let expired = 0
      for (const offer of due) {
        await db.transaction().execute(async (tx) => {
          await repo.lockOccurrence(tx, offer.occurrence_id)
          const moved = await repo.moveBooking(tx, offer.id, 'offered', {
            status: 'expired',
            updated_at: nowIso(),
          })
          if (!moved) return
          expired++
          await repo.freePlace(tx, offer.occurrence_id)
          await audit.record(tx, ctx, {
            action: 'sessions.offer-expired',
            recordType: 'session-booking',
            recordId: offer.id,
          })
          await offerNext(tx, offer.occurrence_id)
        })
      }
      return expired
    },

    /** The job: a reminder the day before, on the channels the person said are safe. */
    async sendReminders(limit = 500): Promise<number> {
      const from = now()
      const to = new Date(from.getTime() + 36 * 3_600_000)
      const due = await repo.dueReminders(
        db,
        new Date(from.getTime() + 12 * 3_600_000).toISOString(),
        to.toISOString(),
        limit,
      )
      for (const booking of due)
        await db.transaction().execute(async (tx) => {
          await repo.markReminded(tx, booking.id)
          await tell(tx, booking, 'sessions-reminder', { title: booking.title, startsAt: booking.starts_at })
        })
      return due.length
    },

    /** Inside a person merge: bookings follow the record kept. */
    followMerge: (tx: Tx, fromId: string, toId: string) => repo.movePerson(tx, fromId, toId),
  }
}

function ruleField(problem: string): string {
  if (problem === 'time' || problem === 'endBeforeStart' || problem === 'skippedTime') return 'endTime'
  if (problem === 'days') return 'days'
  if (problem === 'end' || problem === 'tooMany') return 'until'
  return 'start'
}

export type SessionService = ReturnType<typeof sessionService>
