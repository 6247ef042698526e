/**
 * One of two separate processes allocating the same device at once (allocation.service.test.ts): it opens the
 * database, says "ready", waits for "go" on stdin, tries, and prints what happened.
 * Usage: node --import tsx tests/support/devices-race-worker.ts <database url> <device id> <borough id> <name>
 */
import { CTX, coordinator } from '#modules/devices/testing.ts'
import { servicesOf } from '#modules/index.ts'
import { openDatabase } from '#platform/database.ts'
import { Invalid } from '#platform/errors.ts'
import { buildApp } from '../../src/app.ts'
import { testConfig } from './hub.ts'

const [url, deviceId, boroughId, name] = process.argv.slice(2) as [string, string, string, string]
const database = openDatabase(url)
const hub = await buildApp({ config: testConfig({ DATABASE_URL: url }), database, logger: false })
const { devices } = servicesOf(hub)
process.stdout.write('ready\n')
process.stdin.once('data', async () => {
  let outcome = 'won'
  try {
    await devices.allocate(
      coordinator([boroughId]),
      { deviceId, kind: 'gift', recipient: { personName: name } },
      CTX,
    )
  } catch (error) {
    outcome = error instanceof Invalid ? `refused ${error.message}` : `failed ${String(error)}`
  }
  process.stdout.write(`${outcome}\n`)
  await hub.app.close()
  await database.close()
  process.exit(0)
})
