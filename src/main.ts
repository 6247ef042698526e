import { buildApp } from './app.ts'
import { loadConfig } from './platform/config.ts'
import { openDatabase } from './platform/database.ts'
import { JobRunner } from './platform/jobs.ts'
import { migrateToLatest } from './platform/migrate.ts'
import { OutboxWorker, transportFromConfig } from './platform/notify.ts'

/** config -> database -> migrate -> reference data -> listen -> worker; SIGTERM drains and exits. */
async function main() {
  const config = loadConfig()
  const database = openDatabase(config.DATABASE_URL)
  await migrateToLatest(database)
  const hub = await buildApp({ config, database })
  const { app } = hub
  await hub.loadReferenceData()

  const inProcess = config.WORKER === 'in-process'
  const worker = inProcess
    ? new OutboxWorker(hub.platform.outbox, transportFromConfig(config), config.WORKER_POLL_MS, app.log)
    : null
  const jobs = inProcess ? new JobRunner(database, hub.jobs, app.log) : null

  await app.listen({ port: config.PORT, host: config.HOST })
  worker?.start()
  jobs?.start()

  const setupLink = await hub.accounts.firstAdministratorLink()
  if (setupLink) {
    // Printed, not logged: the link is a one-time secret for whoever started the Hub.
    process.stdout.write(
      `\nNo accounts yet. Create the first administrator within 24 hours at:\n\n  ${setupLink}\n\n`,
    )
  }

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down: finishing requests in flight')
    // Stops accepting, waits for requests in flight; then the worker finishes its batch.
    await app.close()
    await worker?.stop()
    await jobs?.stop()
    await database.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
