import cluster from 'node:cluster'
import { MODULES, servicesOf } from '#modules/index.ts'
import { buildApp } from './app.ts'
import { composeHub } from './platform/compose.ts'
import { type Config, loadConfig } from './platform/config.ts'
import { openDatabase } from './platform/database.ts'
import { JobRunner } from './platform/jobs.ts'
import { type HubMigration, migrateToLatest } from './platform/migrate.ts'
import { OutboxWorker, transportFromConfig } from './platform/notify.ts'

/**
 * config -> database -> migrate -> reference data -> listen -> worker; SIGTERM drains and exits.
 * With WEB_CONCURRENCY above 1 a primary process prepares the database, then starts that many app
 * processes sharing the port (Node's cluster), so one machine's cores all serve pages.
 */
async function main() {
  const { migrations, settings } = composeHub(MODULES)
  const config = loadConfig(process.env, settings)
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) return runPrimary(config, migrations)
  const database = openDatabase(config.DATABASE_URL)
  const clustered = cluster.isWorker
  if (!clustered) await migrateToLatest(database, migrations)
  const hub = await buildApp({ config, database })
  const { app } = hub
  if (!clustered) await hub.loadReferenceData()

  // In a cluster only the first process sends the outbox and runs jobs: fewer writers on SQLite.
  const inProcess = config.WORKER === 'in-process' && (!clustered || cluster.worker?.id === 1)
  const worker = inProcess
    ? new OutboxWorker(
        hub.platform.outbox,
        transportFromConfig(config),
        config.WORKER_POLL_MS,
        app.log,
        config.OUTBOX_MAX_PER_SECOND,
      )
    : null
  const jobs = inProcess ? new JobRunner(database, hub.jobs, app.log) : null

  await app.listen({ port: config.PORT, host: config.HOST })
  worker?.start()
  jobs?.start()
  if (!clustered) await printSetupLink(hub)

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

async function printSetupLink(hub: Awaited<ReturnType<typeof buildApp>>) {
  const setupLink = await servicesOf(hub).accounts.firstAdministratorLink()
  if (!setupLink) return
  // Printed, not logged: the link is a one-time secret for whoever started the Hub. Framed, on lines of its
  // own, in one write, so it stands out among the JSON log lines and never lands inside one.
  const rule = '='.repeat(72)
  process.stdout.write(
    [
      '',
      rule,
      'No accounts yet. Create the first administrator within 24 hours at:',
      '',
      `  ${setupLink}`,
      '',
      'The link works once. Then, on the staff home, give yourself the other roles you need.',
      rule,
      '',
      '',
    ].join('\n'),
  )
}

/** Migrations and reference data once, before any app process serves a page; then the app processes. */
async function runPrimary(config: Config, migrations: Record<string, HubMigration>) {
  const database = openDatabase(config.DATABASE_URL)
  await migrateToLatest(database, migrations)
  const hub = await buildApp({ config, database, logger: false })
  await hub.loadReferenceData()
  await printSetupLink(hub)
  await database.close()
  let stopping = false
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) cluster.fork()
  cluster.on('exit', (worker, code) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0)
      return
    }
    console.error(`App process ${worker.process.pid} exited (${code}); starting another`)
    cluster.fork()
  })
  const stop = () => {
    if (stopping) return
    stopping = true
    // Each app process drains its own requests in flight, then exits.
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
