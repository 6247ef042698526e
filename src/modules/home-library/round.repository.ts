import { compiledOnce } from '#platform/compiled.ts'
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

declare module '#platform/database.ts' {
  interface Tables {
    /** One row, moved by triggers at every write to what a sheet shows of its stops (202612020830). */
    home_library_sheet_version: { id: number; version: number }
  }
}

// The round sheet's queries, compiled once (see compiledOnce): building them cost more than running them.
const sheetVersionRows = compiledOnce((db: Executor) =>
  db.selectFrom('home_library_sheet_version').select('version').where('id', '=', 1),
)

const roundById = compiledOnce((db: Executor, id: string) =>
  db.selectFrom('home_library_rounds').selectAll().where('id', '=', id),
)

/** Each stop in order with what its sheet shows of the member, and their visit planned for the day. */
const sheetStopRows = compiledOnce((db: Executor, roundId: string, day: string) =>
  db
    .selectFrom('home_library_stops as s')
    .innerJoin('home_library_members as m', 'm.id', 's.member_id')
    .leftJoin('home_library_visits as v', (join) =>
      join.onRef('v.member_id', '=', 's.member_id').on('v.due_on', '=', day).on('v.status', '=', 'planned'),
    )
    .select([
      's.id',
      's.member_id',
      'm.name',
      'm.day_part',
      'm.max_items',
      'm.formats_json',
      'm.likes',
      'm.dislikes',
      'v.id as visit_id',
    ])
    .where('s.round_id', '=', roundId)
    .orderBy('s.position'),
)

/** The titles still out with the round's members, oldest delivery first (an index holds all three). */
const itemsOutRows = compiledOnce((db: Executor, roundId: string) =>
  db
    .selectFrom('home_library_stops as s')
    .innerJoin('home_library_items as i', 'i.member_id', 's.member_id')
    .select(['i.member_id', 'i.title', 'i.delivered_on'])
    .where('s.round_id', '=', roundId)
    .where('i.collected_on', 'is', null)
    .orderBy('i.delivered_on'),
)

/** Rounds and their stops. */
export const roundRepository = {
  async insert(db: Executor, row: RoundTable): Promise<void> {
    await db.insertInto('home_library_rounds').values(row).execute()
  },

  async find(db: Executor, id: string): Promise<RoundTable | undefined> {
    return (await roundById(db, id))[0]
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

  /** The version of what the round sheet shows of its stops: any write to it moves it, in its transaction. */
  async sheetVersion(db: Executor): Promise<number> {
    const [row] = await sheetVersionRows(db)
    if (!row) throw new Error('home_library_sheet_version has no row')
    return Number(row.version)
  },

  /** The round sheet's stops for a day (see sheetStopRows). */
  sheetStops: (db: Executor, roundId: string, day: string) => sheetStopRows(db, roundId, day),

  /** Items not yet collected from the round's members (see itemsOutRows). */
  itemsOut: (db: Executor, roundId: string) => itemsOutRows(db, roundId),

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
