/**
 * A second operating-system process for the SQLite concurrency test: opens the same database file, asks for
 * places at one date, and prints what it got. Run as
 * `node --import tsx tests/support/session-booker.ts <database file> <date id> <first number> <how many>`.
 */
import { servicesOf } from '#modules/index.ts'
import { openDatabase } from '#platform/database.ts'
import { testConfig } from '#tests/support/hub.ts'
import { buildApp } from '../../src/app.ts'

const [url = '', occurrenceId = '', first = '0', count = '1'] = process.argv.slice(2)
const database = openDatabase(url)
const hub = await buildApp({ config: testConfig({ DATABASE_URL: url }), database, logger: false })
const { sessions } = servicesOf(hub)
const ctx = { userId: null, actor: 'test', ip: null, requestId: null }
const statuses = await Promise.all(
  Array.from({ length: Number(count) }, async (_, i) => {
    const n = Number(first) + i
    const made = await sessions.book(
      {
        occurrenceId,
        name: `Resident ${n}`,
        email: `resident${n}@example.org`,
        phone: null,
        canEmail: false,
        canText: false,
        carerName: null,
        carerContact: null,
        carerConsent: false,
      },
      ctx,
    )
    return made.status
  }),
)
process.stdout.write(JSON.stringify(statuses))
await hub.app.close()
await database.close()
