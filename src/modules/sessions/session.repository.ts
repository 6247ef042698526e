import { sql } from 'kysely'
import type { Executor } from '#platform/database.ts'
import type { Attendance, BookingState, SessionKind, Venue } from './session.ts'

export interface HelpSessionTable {
  id: string
  borough_id: string
  kind: SessionKind
  title: string
  description: string
  venue: Venue
  location_id: string | null
  service_code: string | null
  online_link: string | null
  language: string
  what_to_bring: string | null
  capacity: number
  recurrence: string
  is_cancelled: boolean
  created_at: string
  updated_at: string
}

export interface OccurrenceTable {
  id: string
  session_id: string
  borough_id: string
  original_date: string
  starts_at: string
  ends_at: string
  capacity: number
  booked: number
  is_cancelled: boolean
  change_note: string | null
  /** A one-off move to another library; null: the session's place. */
  place_id: string | null
  /** A one-off facilitator; null: the session's. */
  facilitator_user_id: string | null
}

export interface BookingTable {
  id: string
  reference: string
  occurrence_id: string
  borough_id: string
  person_id: string | null
  need_id: string | null
  status: BookingState
  name: string
  email: string | null
  phone: string | null
  contact_key: string | null
  can_email: boolean
  can_text: boolean
  carer_name: string | null
  carer_contact: string | null
  has_carer_consent: boolean
  waiting_since: string | null
  /** Why staff moved them up the waiting list, if they did. */
  moved_reason: string | null
  offer_expires_at: string | null
  is_reminded: boolean
  created_at: string
  updated_at: string
}

export interface AttendanceTable {
  id: string
  booking_id: string
  occurrence_id: string
  status: Attendance
  marked_by_user_id: string | null
  marked_at: string
}

declare module '#platform/database.ts' {
  interface Tables {
    help_sessions: HelpSessionTable
    help_session_facilitators: { session_id: string; user_id: string }
    help_session_occurrences: OccurrenceTable
    help_session_bookings: BookingTable
    help_session_attendance: AttendanceTable
  }
}

/** All of the sessions module's SQL. */
export const sessionRepository = {
  async insertSession(db: Executor, row: HelpSessionTable, facilitators: string[]) {
    await db.insertInto('help_sessions').values(row).execute()
    if (facilitators.length)
      await db
        .insertInto('help_session_facilitators')
        .values(facilitators.map((user_id) => ({ session_id: row.id, user_id })))
        .execute()
  },

  async insertOccurrences(db: Executor, rows: OccurrenceTable[]) {
    // A few hundred at most; in slices to stay under SQLite's limit on bound values.
    for (let i = 0; i < rows.length; i += 50)
      await db
        .insertInto('help_session_occurrences')
        .values(rows.slice(i, i + 50))
        .execute()
  },

  findSession: (db: Executor, id: string) =>
    db.selectFrom('help_sessions').selectAll().where('id', '=', id).executeTakeFirst(),

  facilitators: (db: Executor, sessionId: string) =>
    db
      .selectFrom('help_session_facilitators')
      .select('user_id')
      .where('session_id', '=', sessionId)
      .execute()
      .then((rows) => rows.map((r) => r.user_id)),

  findOccurrence: (db: Executor, id: string) =>
    db
      .selectFrom('help_session_occurrences as o')
      .innerJoin('help_sessions as s', 's.id', 'o.session_id')
      .selectAll('o')
      .select((eb) => eb.fn.coalesce('o.place_id', 's.location_id').as('location_id'))
      .select([
        's.kind',
        's.title',
        's.description',
        's.venue',
        's.service_code',
        's.online_link',
        's.language',
        's.what_to_bring',
        's.is_cancelled as session_cancelled',
      ])
      .where('o.id', '=', id)
      .executeTakeFirst(),

  occurrencesOf: (db: Executor, sessionId: string) =>
    db
      .selectFrom('help_session_occurrences')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('starts_at')
      .execute(),

  /** Staff list: sessions of the given boroughs (all when null), with their next occurrence. */
  staffSessions(db: Executor, boroughs: readonly string[] | null, now: string) {
    let q = db.selectFrom('help_sessions as s').select((eb) => [
      's.id',
      's.title',
      's.kind',
      's.venue',
      's.location_id',
      's.borough_id',
      's.capacity',
      's.is_cancelled',
      eb
        .selectFrom('help_session_occurrences as o')
        .select((e) => e.fn.min('o.starts_at').as('next'))
        .whereRef('o.session_id', '=', 's.id')
        .where('o.starts_at', '>=', now)
        .where('o.is_cancelled', '=', false)
        .as('next_starts_at'),
    ])
    if (boroughs) q = q.where('s.borough_id', 'in', boroughs.length ? boroughs : [''])
    return q.orderBy('s.title').execute()
  },

  /**
   * Locks a date's row for the rest of the transaction, as its first statement: bookings, cancellations
   * and offers at one date queue behind each other in one order (no deadlock on PostgreSQL), and on SQLite
   * a write first takes the write lock, waiting for another process's instead of failing.
   */
  async lockOccurrence(db: Executor, id: string): Promise<void> {
    await db
      .updateTable('help_session_occurrences')
      .set({ booked: sql`booked` })
      .where('id', '=', id)
      .execute()
  },

  /** Takes a place if one is left: true when this caller got it. Atomic on both databases. */
  async takePlace(db: Executor, occurrenceId: string): Promise<boolean> {
    const result = await db
      .updateTable('help_session_occurrences')
      .set({ booked: sql`booked + 1` })
      .where('id', '=', occurrenceId)
      .whereRef('booked', '<', 'capacity')
      .where('is_cancelled', '=', false)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async freePlace(db: Executor, occurrenceId: string) {
    await db
      .updateTable('help_session_occurrences')
      .set({ booked: sql`booked - 1` })
      .where('id', '=', occurrenceId)
      .where('booked', '>', 0)
      .execute()
  },

  async updateOccurrence(db: Executor, id: string, fields: Partial<OccurrenceTable>) {
    await db.updateTable('help_session_occurrences').set(fields).where('id', '=', id).execute()
  },

  insertBooking: (db: Executor, row: BookingTable) =>
    db.insertInto('help_session_bookings').values(row).execute(),

  findBooking: (db: Executor, id: string) =>
    db.selectFrom('help_session_bookings').selectAll().where('id', '=', id).executeTakeFirst(),

  findByReference: (db: Executor, reference: string) =>
    db.selectFrom('help_session_bookings').selectAll().where('reference', '=', reference).executeTakeFirst(),

  /** Moves a booking on only from the state the caller saw: false when someone else moved it first. */
  async moveBooking(
    db: Executor,
    id: string,
    from: BookingState,
    fields: Partial<BookingTable> & { status: BookingState },
  ): Promise<boolean> {
    const result = await db
      .updateTable('help_session_bookings')
      .set(fields)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  /** The waiting list of an occurrence, first in line first. */
  waitingList: (db: Executor, occurrenceId: string) =>
    db
      .selectFrom('help_session_bookings')
      .selectAll()
      .where('occurrence_id', '=', occurrenceId)
      .where('status', '=', 'waiting')
      .orderBy('waiting_since')
      .orderBy('id')
      .execute(),

  async setWaiting(db: Executor, id: string, since: string | null, reason: string | null) {
    await db
      .updateTable('help_session_bookings')
      .set({ waiting_since: since, moved_reason: reason })
      .where('id', '=', id)
      .execute()
  },

  /** Bookings of an occurrence that hold or wait for a place (the register and the staff page). */
  bookingsOf: (db: Executor, occurrenceIds: string[]) =>
    db
      .selectFrom('help_session_bookings')
      .selectAll()
      .where('occurrence_id', 'in', occurrenceIds.length ? occurrenceIds : [''])
      .where('status', 'in', ['booked', 'offered', 'waiting'])
      .orderBy('status')
      .orderBy('waiting_since')
      .orderBy('name')
      .execute(),

  /** Offers past their time, oldest first. */
  expiredOffers: (db: Executor, now: string, limit: number) =>
    db
      .selectFrom('help_session_bookings')
      .select(['id', 'occurrence_id'])
      .where('status', '=', 'offered')
      .where('offer_expires_at', '<', now)
      .orderBy('offer_expires_at')
      .limit(limit)
      .execute(),

  /** Bookings holding a place at occurrences starting in [from, to) not yet reminded. */
  dueReminders: (db: Executor, from: string, to: string, limit: number) =>
    db
      .selectFrom('help_session_bookings as b')
      .innerJoin('help_session_occurrences as o', 'o.id', 'b.occurrence_id')
      .innerJoin('help_sessions as s', 's.id', 'o.session_id')
      .select(['b.id', 'b.reference', 'b.name', 'b.email', 'b.phone', 'b.can_email', 'b.can_text'])
      .select(['o.starts_at', 's.title'])
      .where('b.status', '=', 'booked')
      .where('b.is_reminded', '=', false)
      .where('o.is_cancelled', '=', false)
      .where('o.starts_at', '>=', from)
      .where('o.starts_at', '<', to)
      .limit(limit)
      .execute(),

  async markReminded(db: Executor, ids: readonly string[]) {
    await db.updateTable('help_session_bookings').set({ is_reminded: true }).where('id', 'in', ids).execute()
  },

  attendanceOf: (db: Executor, occurrenceId: string) =>
    db
      .selectFrom('help_session_attendance')
      .select(['booking_id', 'status'])
      .where('occurrence_id', '=', occurrenceId)
      .execute(),

  /** How many times a booking was marked as attended, at any occurrence. */
  async attendedCount(db: Executor, bookingId: string): Promise<number> {
    const row = await db
      .selectFrom('help_session_attendance')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('booking_id', '=', bookingId)
      .where('status', '=', 'attended')
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },

  async upsertAttendance(db: Executor, row: AttendanceTable) {
    await db
      .insertInto('help_session_attendance')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['booking_id', 'occurrence_id']).doUpdateSet({
          status: row.status,
          marked_by_user_id: row.marked_by_user_id,
          marked_at: row.marked_at,
        }),
      )
      .execute()
  },

  /** A booking made without a person record is linked to the one made for it. */
  async linkPerson(db: Executor, bookingId: string, personId: string, at: string) {
    await db
      .updateTable('help_session_bookings')
      .set({ person_id: personId, updated_at: at })
      .where('id', '=', bookingId)
      .execute()
  },

  async movePerson(db: Executor, fromId: string, toId: string) {
    await db
      .updateTable('help_session_bookings')
      .set({ person_id: toId })
      .where('person_id', '=', fromId)
      .execute()
  },

  /** Places left at the next occurrence of the sessions published as a directory service. */
  async nextFreePlaces(db: Executor, serviceCode: string, now: string) {
    return db
      .selectFrom('help_session_occurrences as o')
      .innerJoin('help_sessions as s', 's.id', 'o.session_id')
      .select(['o.capacity', 'o.booked', 'o.starts_at'])
      .where('s.service_code', '=', serviceCode)
      .where('s.is_cancelled', '=', false)
      .where('o.is_cancelled', '=', false)
      .where('o.starts_at', '>=', now)
      .whereRef('o.booked', '<', 'o.capacity')
      .orderBy('o.starts_at')
      .limit(1)
      .executeTakeFirst()
  },
}
