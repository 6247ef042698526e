import { compiledOnce } from '#platform/compiled.ts'
import type { Dialect, Executor, Tx } from '#platform/database.ts'
import { forUpdate } from '#platform/database.ts'

declare module '#platform/database.ts' {
  interface Tables {
    referral_journeys: JourneyTable
  }
}

export interface JourneyTable {
  token_hash: string
  answers_json: Record<string, Record<string, unknown> | undefined>
  referral_id: string | null
  created_at: string
  updated_at: string
  expires_at: string
}

// What each send runs: compiled once (see compiledOnce), the lock for each dialect.
const lockRow = (dialect: Dialect) =>
  compiledOnce((db, tokenHash: string) =>
    forUpdate(dialect, db.selectFrom('referral_journeys').selectAll().where('token_hash', '=', tokenHash)),
  )
const lockRows = { sqlite: lockRow('sqlite'), postgres: lockRow('postgres') }
const markSentRows = compiledOnce((db, tokenHash: string, referralId: string) =>
  db
    .updateTable('referral_journeys')
    .set({ referral_id: referralId, answers_json: {} })
    .where('token_hash', '=', tokenHash),
)

/**
 * The SQL of the /refer journeys in progress: the answers saved under a token's hash until they expire
 * or are sent. Each function takes the database or a transaction.
 */
export const journeyRepository = {
  findJourney(db: Executor, tokenHash: string, now: string) {
    return db
      .selectFrom('referral_journeys')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst()
  },

  /** The journey, expired or not, locked until the transaction ends: a second submit waits for the first. */
  async lockJourney(tx: Tx, dialect: Dialect, tokenHash: string): Promise<JourneyTable | undefined> {
    return (await lockRows[dialect](tx, tokenHash))[0]
  },

  /** The journey sent as the referral `referralId`: its answers are no longer kept. */
  async markSent(tx: Tx, tokenHash: string, referralId: string): Promise<void> {
    await markSentRows(tx, tokenHash, referralId)
  },

  async insertJourney(db: Executor, row: JourneyTable): Promise<void> {
    await db.insertInto('referral_journeys').values(row).execute()
  },

  async updateJourney(db: Executor, tokenHash: string, fields: Partial<Omit<JourneyTable, 'token_hash'>>) {
    await db.updateTable('referral_journeys').set(fields).where('token_hash', '=', tokenHash).execute()
  },

  async purgeJourneys(db: Executor, now: string): Promise<void> {
    await db.deleteFrom('referral_journeys').where('expires_at', '<=', now).execute()
  },
}
