import type { Executor } from '#platform/database.ts'

export interface SessionChangeTable {
  id: string
  session_id: string
  /** The date changed; null for a change to the whole series. */
  occurrence_id: string | null
  borough_id: string
  changed_by_user_id: string | null
  /** The names of the fields changed, never their values. */
  fields_json: string[]
  reason: string
  changed_at: string
}

declare module '#platform/database.ts' {
  interface Tables {
    help_session_changes: SessionChangeTable
  }
}

/** The SQL of changes to series and dates, and of the week view of a place. */
export const changesRepository = {
  insertChange: (db: Executor, row: SessionChangeTable) =>
    db.insertInto('help_session_changes').values(row).execute(),

  /** A session's changes, latest first, for its page. */
  changesOf: (db: Executor, sessionId: string) =>
    db
      .selectFrom('help_session_changes')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('changed_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),

  async updateSession(
    db: Executor,
    id: string,
    fields: {
      title: string
      location_id: string | null
      capacity: number
      recurrence: string
      updated_at: string
    },
  ) {
    await db.updateTable('help_sessions').set(fields).where('id', '=', id).execute()
  },

  async setFacilitators(db: Executor, sessionId: string, userIds: string[]) {
    await db.deleteFrom('help_session_facilitators').where('session_id', '=', sessionId).execute()
    if (userIds.length)
      await db
        .insertInto('help_session_facilitators')
        .values(userIds.map((user_id) => ({ session_id: sessionId, user_id })))
        .execute()
  },

  /** Bookings holding a place (or offered one) at these dates: who is told of a change. */
  holdersOf: (db: Executor, occurrenceIds: string[]) =>
    db
      .selectFrom('help_session_bookings')
      .selectAll()
      .where('occurrence_id', 'in', occurrenceIds.length ? occurrenceIds : [''])
      .where('status', 'in', ['booked', 'offered'])
      .orderBy('id')
      .execute(),

  /** A date moved to another time: its reminders go again, before the new time. */
  async remindAgain(db: Executor, occurrenceIds: string[]) {
    if (!occurrenceIds.length) return
    await db
      .updateTable('help_session_bookings')
      .set({ is_reminded: false })
      .where('occurrence_id', 'in', occurrenceIds)
      .execute()
  },

  /** Cancels every booking, offer and place on the waiting list of a cancelled date. */
  async cancelBookingsOf(db: Executor, occurrenceId: string, at: string) {
    await db
      .updateTable('help_session_bookings')
      .set({ status: 'cancelled', offer_expires_at: null, updated_at: at })
      .where('occurrence_id', '=', occurrenceId)
      .where('status', 'in', ['booked', 'offered', 'waiting'])
      .execute()
    await db
      .updateTable('help_session_occurrences')
      .set({ booked: 0 })
      .where('id', '=', occurrenceId)
      .execute()
  },

  /**
   * A place's dates in [from, to), with how many wait at each, for the week view; only dates of the
   * given boroughs (all when null). A date moved to another library shows at that library.
   */
  weekAt(db: Executor, placeId: string, from: string, to: string, boroughs: readonly string[] | null) {
    let q = db
      .selectFrom('help_session_occurrences as o')
      .innerJoin('help_sessions as s', 's.id', 'o.session_id')
      .select((eb) => [
        'o.id',
        'o.starts_at',
        'o.ends_at',
        'o.capacity',
        'o.booked',
        'o.is_cancelled',
        's.title',
        's.kind',
        eb
          .selectFrom('help_session_bookings as b')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('b.occurrence_id', '=', 'o.id')
          .where('b.status', '=', 'waiting')
          .as('waiting'),
      ])
      .where((eb) => eb(eb.fn.coalesce('o.place_id', 's.location_id'), '=', placeId))
      .where('s.is_cancelled', '=', false)
      .where('o.starts_at', '>=', from)
      .where('o.starts_at', '<', to)
    if (boroughs) q = q.where('o.borough_id', 'in', boroughs.length ? boroughs : [''])
    return q.orderBy('o.starts_at').orderBy('o.id').execute()
  },
}
