import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid } from '#platform/ids.ts'
import { type PublicFilter, publicListRepository as publicList } from './public-list.repository.ts'
import type { BookingResult, NewBooking, SessionContext } from './session.context.ts'
import { sessionRepository as repo } from './session.repository.ts'

/** Bookings: the public list, booking by a resident or by staff, and what a resident does with their reference. */
export function bookingUseCases(c: SessionContext) {
  const { deps, db, audit, now, reportCapacity, offerNext, bookIn, theirs, staffOccurrence } = c
  return {
    /** Upcoming dates anyone may book, soonest first. */
    publicList: (filter: PublicFilter, limit = 100) => publicList.publicOccurrences(db, filter, limit),

    /** Moves with every change to what the public list shows (sessions, their dates, places taken). */
    listVersion: () => publicList.listVersion(db),

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
  }
}
