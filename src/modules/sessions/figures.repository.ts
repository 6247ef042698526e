import type { Executor } from '#platform/database.ts'

/** The SQL of the sessions figures: dates held and who attended, in a period and the caller's boroughs. */
export const figuresRepository = {
  /** Dates held in a period (not cancelled), with places and the register's counts, for the figures. */
  heldBetween(db: Executor, boroughs: readonly string[] | null, from: string, to: string) {
    let q = db
      .selectFrom('help_session_occurrences as o')
      .innerJoin('help_sessions as s', 's.id', 'o.session_id')
      .select((eb) => [
        'o.id',
        'o.starts_at',
        'o.capacity',
        'o.booked',
        'o.borough_id',
        's.kind',
        's.location_id',
        eb
          .selectFrom('help_session_attendance as a')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('a.occurrence_id', '=', 'o.id')
          .where('a.status', '=', 'attended')
          .as('attended'),
        eb
          .selectFrom('help_session_attendance as a')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('a.occurrence_id', '=', 'o.id')
          .where('a.status', '=', 'no-show')
          .as('no_shows'),
      ])
      .where('o.is_cancelled', '=', false)
      .where('o.starts_at', '>=', from)
      .where('o.starts_at', '<', to)
    if (boroughs) q = q.where('o.borough_id', 'in', boroughs.length ? boroughs : [''])
    return q.execute()
  },

  /** Who attended in a period: one row per attendance, to count people rather than bookings. */
  attendeesBetween(db: Executor, boroughs: readonly string[] | null, from: string, to: string) {
    let q = db
      .selectFrom('help_session_attendance as a')
      .innerJoin('help_session_bookings as b', 'b.id', 'a.booking_id')
      .innerJoin('help_session_occurrences as o', 'o.id', 'a.occurrence_id')
      .select(['b.id', 'b.person_id', 'b.contact_key', 'o.borough_id'])
      .where('a.status', '=', 'attended')
      .where('o.starts_at', '>=', from)
      .where('o.starts_at', '<', to)
    if (boroughs) q = q.where('o.borough_id', 'in', boroughs.length ? boroughs : [''])
    return q.execute()
  },
}
