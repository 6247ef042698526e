import type { Executor, Tx } from '#platform/database.ts'
import type { MemberTable, RoundTable, StopTable } from './member.repository.ts'

export type StopRow = StopTable &
  Pick<
    MemberTable,
    | 'name'
    | 'status'
    | 'paused_until'
    | 'day_part'
    | 'frequency'
    | 'max_items'
    | 'formats_json'
    | 'likes'
    | 'dislikes'
    | 'communication_json'
  >

/** Rounds and their stops. */
export const roundRepository = {
  async insert(db: Executor, row: RoundTable): Promise<void> {
    await db.insertInto('home_library_rounds').values(row).execute()
  },

  find(db: Executor, id: string): Promise<RoundTable | undefined> {
    return db.selectFrom('home_library_rounds').selectAll().where('id', '=', id).executeTakeFirst()
  },

  list(db: Executor, scope: readonly string[] | null): Promise<(RoundTable & { stops: number })[]> {
    let q = db
      .selectFrom('home_library_rounds')
      .selectAll('home_library_rounds')
      .select((eb) =>
        eb
          .selectFrom('home_library_stops')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('home_library_stops.round_id', '=', 'home_library_rounds.id')
          .as('stops'),
      )
      .orderBy('weekday')
      .orderBy('name')
    if (scope) q = q.where('borough_id', 'in', scope.length ? scope : [''])
    return q.execute().then((rows) => rows.map((r) => ({ ...r, stops: Number(r.stops ?? 0) })))
  },

  /** A round's stops in order, with what the deliverer needs of each member (not the access notes). */
  stops(db: Executor, roundId: string): Promise<StopRow[]> {
    return db
      .selectFrom('home_library_stops')
      .innerJoin('home_library_members as m', 'm.id', 'home_library_stops.member_id')
      .selectAll('home_library_stops')
      .select([
        'm.name',
        'm.status',
        'm.paused_until',
        'm.day_part',
        'm.frequency',
        'm.max_items',
        'm.formats_json',
        'm.likes',
        'm.dislikes',
        'm.communication_json',
      ])
      .where('home_library_stops.round_id', '=', roundId)
      .orderBy('home_library_stops.position')
      .execute()
  },

  /** Access notes and emergency contacts of a round's members, for the deliverer's copy only. */
  accessNotes(
    db: Executor,
    roundId: string,
  ): Promise<{ member_id: string; access_notes: string; emergency_contact: string }[]> {
    return db
      .selectFrom('home_library_stops')
      .innerJoin('home_library_members as m', 'm.id', 'home_library_stops.member_id')
      .select(['home_library_stops.member_id', 'm.access_notes', 'm.emergency_contact'])
      .where('home_library_stops.round_id', '=', roundId)
      .execute()
  },

  /** The rounds a member is on. */
  roundsOf(db: Executor, memberId: string): Promise<(StopTable & { round_name: string })[]> {
    return db
      .selectFrom('home_library_stops')
      .innerJoin('home_library_rounds as r', 'r.id', 'home_library_stops.round_id')
      .selectAll('home_library_stops')
      .select('r.name as round_name')
      .where('home_library_stops.member_id', '=', memberId)
      .execute()
  },

  memberStopOn(db: Executor, memberId: string, weekday: number): Promise<StopTable | undefined> {
    return db
      .selectFrom('home_library_stops')
      .selectAll()
      .where('member_id', '=', memberId)
      .where('weekday', '=', weekday)
      .executeTakeFirst()
  },

  async lastPosition(tx: Tx, roundId: string): Promise<number> {
    const row = await tx
      .selectFrom('home_library_stops')
      .select((eb) => eb.fn.max<number>('position').as('last'))
      .where('round_id', '=', roundId)
      .executeTakeFirst()
    return Number(row?.last ?? 0)
  },

  async insertStop(db: Executor, row: StopTable): Promise<void> {
    await db.insertInto('home_library_stops').values(row).execute()
  },

  findStop(db: Executor, roundId: string, stopId: string): Promise<StopTable | undefined> {
    return db
      .selectFrom('home_library_stops')
      .selectAll()
      .where('id', '=', stopId)
      .where('round_id', '=', roundId)
      .executeTakeFirst()
  },

  async setPosition(tx: Tx, stopId: string, position: number): Promise<void> {
    await tx.updateTable('home_library_stops').set({ position }).where('id', '=', stopId).execute()
  },

  async deleteStop(tx: Tx, stopId: string): Promise<void> {
    await tx.deleteFrom('home_library_stops').where('id', '=', stopId).execute()
  },

  /** A member who leaves comes off every round. */
  async deleteStopsOf(tx: Tx, memberId: string): Promise<void> {
    await tx.deleteFrom('home_library_stops').where('member_id', '=', memberId).execute()
  },
}
