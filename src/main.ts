import cluster, { type Worker } from 'node:cluster'
import v8 from 'node:v8'
import { MODULES, servicesOf } from '#modules/index.ts'
import { buildApp } from './app.ts'
import { composeHub } from './platform/compose.ts'
import { type Config, loadConfig } from './platform/config.ts'
import { JobRunner } from './platform/jobs.ts'
import { type HubMigration, migrateToLatest } from './platform/migrate.ts'
import { OutboxWorker, transportFromConfig } from './platform/notify.ts'
import { openWhenReady } from './platform/startup.ts'

/**
 * With a heap limit of 2 GB or more (Node's default on a machine with 8 GB of memory or more), V8 lets the
 * old generation grow to up to four times what survived the last full collection before it collects
 * again. At 50 connections a request's objects outlive the young generation's collections and end up
 * there, so a Hub keeping 90 MB grew to 250 MB of heap, mostly garbage, and kept it. Doubling at most
 * before collecting took a fifth off its memory under load (the bench's soak, BENCH_SOAK_SECONDS: 410 MB
 * -> 330 MB) for about 4% more CPU a request; growing by half took 290 MB for 17% more. Set here, not on
 * the command line, so every way of starting the Hub has it; V8 reads it at each collection.
 */
v8.setFlagsFromString('--heap-growing-percent=100')

/**
 * config -> wait for the database -> migrate -> reference data -> listen -> worker; SIGTERM drains and exits.
 * With WEB_CONCURRENCY above 1 a primary process prepares the database, then starts that many app
 * processes sharing the port (Node's cluster), so one machine's cores all serve pages; SIGHUP to the
 * primary restarts them one at a time.
 */
async function main() {
  const { migrations, settings } = composeHub(MODULES)
  const config = loadConfig(process.env, settings)
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) return runPrimary(config, migrations)
  const database = await openWhenReady(config, { checkpointInBackground: true })
  const clustered = cluster.isWorker
  if (!clustered) await migrateToLatest(database, migrations)
  const hub = await buildApp({ config, database })
  const { app } = hub
  if (!clustered) await hub.loadReferenceData()

  // Every process sends the outbox and runs jobs: they claim each message and each job through the
  // database, so any process (or a replacement after one dies) carries on where another stopped.
  const inProcess = config.WORKER === 'in-process'
  const worker = inProcess
    ? new OutboxWorker(
        hub.platform.outbox,
        transportFromConfig(config),
        config.WORKER_POLL_MS,
        app.log,
        config.OUTBOX_MAX_PER_SECOND,
        { batch: config.OUTBOX_BATCH, concurrency: config.OUTBOX_CONCURRENCY },
      )
    : null
  const jobs = inProcess ? new JobRunner(database, hub.jobs, app.log) : null

  await app.listen({ port: config.PORT, host: config.HOST })
  worker?.start()
  jobs?.start()

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down: finishing requests in flight')
    // Each step runs even if one before it failed (the database away): the process must still end.
    const step = async (what: string, run: () => Promise<unknown>) => {
      try {
        await run()
      } catch (error) {
        app.log.warn({ err: error }, `shutdown: ${what} failed`)
      }
    }
    // First, if asked, a grace period: /readyz and new requests answer 503 while the port stays open, so
    // a load balancer stops sending here. (In a cluster the primary holds the port: no need.)
    if (!clustered && config.SHUTDOWN_GRACE_SECONDS > 0) {
      hub.availability.beginClosing()
      await new Promise((r) => setTimeout(r, config.SHUTDOWN_GRACE_SECONDS * 1000))
    }
    // Then stops accepting, waits for requests in flight; then the worker finishes its batch.
    await step('closing the server', () => app.close())
    await step('stopping the outbox worker', async () => worker?.stop())
    await step('stopping the periodic jobs', async () => jobs?.stop())
    await step('closing the database', () => database.close())
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
  // After the handlers: a stop asked for while the link is made (a database write) drains like any other.
  if (!clustered) await printSetupLink(hub)
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
  const database = await openWhenReady(config)
  await migrateToLatest(database, migrations)
  const hub = await buildApp({ config, database, logger: false })
  await hub.loadReferenceData()
  await printSetupLink(hub)
  await database.close()
  let stopping = false
  const replacing = new Set<Worker>()
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) cluster.fork()
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0)
      return
    }
    if (replacing.delete(worker)) return
    console.error(`App process ${worker.process.pid} exited (${code ?? signal}); starting another`)
    cluster.fork()
  })
  const stop = () => {
    if (stopping) return
    stopping = true
    // Each app process drains its own requests in flight, then exits.
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
  }
  // A rolling restart (new code deployed): one process at a time, its replacement listening before the
  // old one drains, so the port always has a process taking connections.
  let restarting = false
  const restart = async () => {
    if (restarting || stopping) return
    restarting = true
    for (const old of Object.values(cluster.workers ?? {})) {
      if (!old || stopping) continue
      const fresh = cluster.fork()
      await new Promise((resolve) => fresh.once('listening', resolve).once('exit', resolve))
      replacing.add(old)
      const gone = new Promise((resolve) => old.once('exit', resolve))
      old.process.kill('SIGTERM')
      await gone
    }
    restarting = false
    console.error('Rolling restart done')
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.on('SIGHUP', () => void restart())
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
