import { sql } from 'kysely'
import { type Config, databaseLimits } from './config.ts'
import { type Database, type OpenOptions, openDatabase } from './database.ts'

/**
 * Opens the configured database and waits for it to answer, trying again with growing pauses for up to
 * DATABASE_START_WAIT_SECONDS: in a container or after a reboot the database often starts after the Hub.
 * Says plainly what it is waiting for, and gives up with a message naming the settings to check.
 */
export async function openWhenReady(
  config: Config,
  options: OpenOptions = {},
  say: (line: string) => void = (line) => console.error(line),
): Promise<Database> {
  const database = openDatabase(config.DATABASE_URL, databaseLimits(config), options)
  const deadline = Date.now() + config.DATABASE_START_WAIT_SECONDS * 1000
  let pause = 250
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`select 1`.execute(database.db)
      if (attempt > 1) say(`The database answered: ${database.describe()}`)
      return database
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      const left = deadline - Date.now()
      if (left <= 0) {
        await database.close().catch(() => {})
        throw new Error(
          `The database did not answer within ${config.DATABASE_START_WAIT_SECONDS} seconds ` +
            `(${database.describe()}: ${reason}). Check DATABASE_URL and that the database server is ` +
            'running and reachable; DATABASE_START_WAIT_SECONDS sets how long the Hub waits for it.',
        )
      }
      say(`Waiting for the database, ${database.describe()} (${reason}); trying again in ${pause} ms`)
      await new Promise((r) => setTimeout(r, Math.min(pause, left)))
      pause = Math.min(pause * 2, 5000)
    }
  }
}
