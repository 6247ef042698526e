/**
 * `npm run bench`: starts the Hub on a fresh SQLite file, a bare Fastify route as the ceiling and a
 * baseline app on the stack a council team would otherwise pick (scripts/bench/baseline/), each in its
 * own process, loads each target with autocannon for a fixed time (the Hub's queue and staff page in
 * interleaved rounds with the baseline's queue, as ratios), measures the home page's first-visit
 * weight, prints the figures and checks them against the targets.
 *
 * Settings (environment): BENCH_SECONDS (10) per target, BENCH_WARMUP_SECONDS (2) not counted,
 * BENCH_CONNECTIONS (50), BENCH_ONLY=<part of a target's name> runs only those targets (and what they
 * are compared with; several parts as `a|b`), BENCH_ROUNDS (3) interleaved rounds of the compared targets,
 * BENCH_REFERRALS (100000) and BENCH_SERVICES (5000) generated into the Hub's database before it starts,
 * with BENCH_HOME_LIBRARY_MEMBERS (5000) and BENCH_HOME_LIBRARY_VISITS (500000), BENCH_SESSIONS (50000)
 * session dates with BENCH_SESSION_BOOKINGS (500000) bookings, BENCH_SESSION_FORMS (3000) booking forms
 * opened before the booking-only run,
 * BENCH_DEVICES (50000) devices and SIM cards with BENCH_DEVICE_LOANS (200000) loans and gifts, for the
 * device stock list and allocation (signed in as a device coordinator of one borough),
 * BENCH_SEND_JOURNEYS (3000) journeys filled in before the send-only run,
 * BENCH_ACTIONS (10000) partnership actions for the open-actions list,
 * BENCH_AUDIT_ROWS (100000) audit rows, chained and signed, for the audit search, then checked as
 * `npm run hub -- verify-audit` checks them (rows a second; BENCH_ONLY=verify-audit runs only that);
 * with BENCH_REFERRALS=1000000 BENCH_AUDIT_ROWS=10000000 the queue and the lookups (case page, staff
 * search by reference and by name, /track, audit search, verify-audit:
 * BENCH_ONLY=', 1,000,000 referrals|0,000,000 audit rows') are measured at a million referrals,
 * BENCH_BULLETIN_SUBSCRIBERS (20000) for the bulletin sent through the outbox to an SMTP sink,
 * then, after the load, each periodic job run twice on the Hub's database (see bench/jobs.ts;
 * BENCH_ONLY='periodic jobs' runs them on the generated data alone),
 * BENCH_SCALE_PROCESSES=<n> (n > 1) starts a second Hub on the same database with n app processes
 * (WEB_CONCURRENCY) and loads its staff page and queue in the same rounds, as ratios of one process's,
 * BENCH_SOAK_SECONDS (0) then loads a mix of the Hub's pages that are only read (every GET target: the
 * staff page, the queue, find-help with a different search each time, the sessions list...) at
 * BENCH_CONNECTIONS for that long (after a tenth of that as warm-up), and prints the Hub's memory at its
 * start and end and the growth (goal: under 10% over 600 s); BENCH_ONLY=soak runs the soak alone.
 * Every run ends with the Hub's resident memory against its goal (300 MB, one app process),
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the Hub to <dir> on exit, BENCH_HEAP_SNAPSHOT=<dir> a V8
 * heap snapshot of the Hub to <dir> once the load is over (after its memory is read),
 * BENCH_DATABASE=postgres puts the Hub on PostgreSQL (see bench/database.ts; `npm run bench:postgres`, and
 * `npm run bench:both` for both databases side by side), BENCH_RESULTS_JSON=<file> writes the figures there,
 * BENCH_WAIT_QUIET=1 waits after generating the data until the machine's load average is under 1 (other
 * work, such as a test suite, may then share the long generation of a million referrals, not the figures).
 * Traffic goes only to 127.0.0.1. It never exits non-zero because a target was missed, only on error.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createAdministrator, signIn } from './bench/admin.ts'
import {
  type AuditRate,
  auditRateCheck,
  auditRateLine,
  dailyCheckDone,
  verifyAuditRate,
} from './bench/audit-rate.ts'
import { type BulletinFigures, bulletinBench } from './bench/bulletin.ts'
import { type BenchSample, benchSample } from './bench/case-load.ts'
import { benchDatabase, benchDatabaseUrl } from './bench/database.ts'
import { DEVICES, deviceCoordinator } from './bench/device-load.ts'
import { type JobTime, jobCheck, jobTable, jobTimes } from './bench/jobs.ts'
import { type BenchContext, type LoadResult, runTarget } from './bench/load.ts'
import {
  freePort,
  heapSnapshot,
  killChildrenNow,
  peakRssOf,
  rssOf,
  startChild,
  stopChildren,
  waitUntilReady,
} from './bench/processes.ts'
import {
  type Check,
  kb,
  loadTable,
  printChecks,
  ratioTable,
  submissionsTable,
  weightTable,
} from './bench/report.ts'
import { type Ratio, runInRounds } from './bench/rounds.ts'
import { type SoakFigures, soak, soakTargets } from './bench/soak.ts'
import { benchTargets, scalingTargets } from './bench/targets.ts'
import { pageWeight } from './bench/weight.ts'
import { generateData, prepareDatabase, sqliteBytes } from './generate-data.ts'

const root = path.resolve(import.meta.dirname, '..')

/** Waits until the load average over a minute is under 1, checked every 10 s, for at most an hour. */
async function untilQuiet(): Promise<void> {
  const started = Date.now()
  while ((os.loadavg()[0] ?? 0) >= 1 && Date.now() - started < 3_600_000)
    await new Promise((resolve) => setTimeout(resolve, 10_000))
  const waited = (Date.now() - started) / 1000
  console.log(
    `Waited ${waited.toFixed(0)} s for a quiet machine (load average ${os.loadavg()[0]?.toFixed(2)}).`,
  )
}
const DATABASE = benchDatabase()

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of 0 or more`)
  return value
}
const SECONDS = Math.max(1, setting('BENCH_SECONDS', 10))
const WARMUP_SECONDS = setting('BENCH_WARMUP_SECONDS', 2)
const CONNECTIONS = Math.max(1, setting('BENCH_CONNECTIONS', 50))
const PAGE_WEIGHT_LIMIT = 40 * 1024
const SOAK_SECONDS = setting('BENCH_SOAK_SECONDS', 0)
/** The Hub's resident memory at the end of the run, with one app process. */
const RSS_LIMIT = 300 * 1024 * 1024
/** Growth of the Hub's memory over the soak, in % of its start. */
const SOAK_GROWTH_LIMIT = 10

const SIZES = {
  referrals: setting('BENCH_REFERRALS', 100_000),
  services: setting('BENCH_SERVICES', 5_000),
  sendJourneys: Math.max(1, setting('BENCH_SEND_JOURNEYS', 3_000)),
  homeLibraryMembers: setting('BENCH_HOME_LIBRARY_MEMBERS', 5_000),
  homeLibraryVisits: setting('BENCH_HOME_LIBRARY_VISITS', 500_000),
  sessions: setting('BENCH_SESSIONS', 50_000),
  sessionBookings: setting('BENCH_SESSION_BOOKINGS', 500_000),
  sessionForms: Math.max(1, setting('BENCH_SESSION_FORMS', 3_000)),
  actions: setting('BENCH_ACTIONS', 10_000),
  devices: setting('BENCH_DEVICES', 50_000),
  deviceLoans: setting('BENCH_DEVICE_LOANS', 200_000),
  auditRows: setting('BENCH_AUDIT_ROWS', 100_000),
}
const SCALE_PROCESSES = setting('BENCH_SCALE_PROCESSES', 0)
const oneProcess = benchTargets(SIZES)
const allTargets =
  SCALE_PROCESSES > 1 ? [...oneProcess, ...scalingTargets(oneProcess, SCALE_PROCESSES)] : oneProcess
// Several parts as `a|b`: the lookups at a million referrals and the audit of ten million rows are measured
// on one generated database.
const ONLY = process.env.BENCH_ONLY?.split('|')
const picked = (name: string) => !ONLY || ONLY.some((part) => name.includes(part))
const chosen = allTargets.filter((t) => picked(t.name))
const compared = new Set(chosen.flatMap((t) => (t.ratioTo ? [t.name, t.ratioTo] : [])))
const targets = allTargets.filter((t) => chosen.includes(t) || compared.has(t.name))
const ROUNDS = Math.max(1, setting('BENCH_ROUNDS', 3))
const BULLETIN_SUBSCRIBERS = Math.max(1, setting('BENCH_BULLETIN_SUBSCRIBERS', 20_000))
const BULLETIN = `bulletin to ${BULLETIN_SUBSCRIBERS.toLocaleString('en-GB')} subscribers`
const runBulletin = picked(BULLETIN)
const VERIFY_AUDIT = `verify-audit of ${SIZES.auditRows.toLocaleString('en-GB')} audit rows`
const runVerify = SIZES.auditRows > 0 && picked(VERIFY_AUDIT)
const JOBS = `periodic jobs, ${SIZES.referrals.toLocaleString('en-GB')} referrals`
const runJobs = picked(JOBS)

function bulletinLine(b: BulletinFigures): string {
  const perSecond = (b.accepted / b.lastAcceptedMs) * 1000
  return (
    `${BULLETIN}: send (recipients and outbox rows) ${(b.sendMs / 1000).toFixed(2)} s; last message ` +
    `accepted by the SMTP sink after ${(b.lastAcceptedMs / 1000).toFixed(1)} s ` +
    `(${b.accepted} accepted, ${perSecond.toFixed(0)} a second)`
  )
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'))
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }))
  // First, on its own database in this process, before the Hub's load takes the CPU.
  let bulletin: BulletinFigures | undefined
  if (runBulletin) {
    console.log(`Sending a ${BULLETIN} through the outbox and an SMTP sink...`)
    bulletin = await bulletinBench({ root, dir: tmp, subscribers: BULLETIN_SUBSCRIBERS })
    console.log(bulletinLine(bulletin))
  }
  if (targets.length === 0 && !runVerify && !runJobs && !SOAK_SECONDS) return
  const [hubPort, barePort, baselinePort] = [await freePort(), await freePort(), await freePort()]
  const hubEnv = {
    // App processes sharing the port; BENCH_WEB_CONCURRENCY=2 measures the Hub using both cores.
    WEB_CONCURRENCY: process.env.BENCH_WEB_CONCURRENCY ?? '1',
    PORT: String(hubPort),
    HOST: '127.0.0.1',
    APP_ROOT: root,
    DATABASE_URL: await benchDatabaseUrl(DATABASE, tmp),
    LOG_LEVEL: 'warn',
    WORKER: 'in-process',
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    AUDIT_KEY: randomBytes(32).toString('hex'),
    PUBLIC_URL: `http://127.0.0.1:${hubPort}`,
    COOKIE_SECURE: 'false',
    // Residents come through a load balancer: each simulated one has its own X-Forwarded-For address.
    TRUST_PROXY: '127.0.0.1',
    // As `npm start` and the production command run it (docs/operations.md).
    MALLOC_ARENA_MAX: '2',
  }
  const profileDir = process.env.BENCH_CPU_PROF
  const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT && path.resolve(process.env.BENCH_HEAP_SNAPSHOT)
  if (snapshotDir) fs.mkdirSync(snapshotDir, { recursive: true })
  const nodeArgs = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : []),
    ...(snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []),
  ]

  // Other work on the machine (a test suite, a browser) takes CPU from the server and skews every figure.
  const [load1] = os.loadavg()
  if ((load1 ?? 0) > 0.5)
    console.log(`Note: the machine is already busy (load average ${load1?.toFixed(2)}): figures will be low.`)
  console.log(
    `Generating ${SIZES.referrals} referrals and ${SIZES.services} services into ${hubEnv.DATABASE_URL}...`,
  )
  const database = await prepareDatabase({ ...process.env, ...hubEnv })
  let sample: BenchSample | undefined
  let verified: AuditRate | undefined
  const generated = await generateData(database, { ...SIZES, auditKey: hubEnv.AUDIT_KEY, appRoot: root })
    .then(async (g) => {
      sample = await benchSample(database.db)
      if (runVerify) verified = await verifyAuditRate(database, hubEnv.AUDIT_KEY)
      await dailyCheckDone(database)
      return g
    })
    .finally(() => database.close())
  const size = sqliteBytes(hubEnv.DATABASE_URL) ?? 0
  // The baseline reads SQLite: on PostgreSQL it gets the same data (the same seed) in a file of its own,
  // whichever targets run, since it is started (and signed in to) on every run.
  const baselineDatabase = DATABASE === 'sqlite' ? hubEnv.DATABASE_URL : path.join(tmp, 'baseline.sqlite')
  if (DATABASE !== 'sqlite') {
    const copy = await prepareDatabase({ ...process.env, ...hubEnv, DATABASE_URL: baselineDatabase })
    // Referrals come first from the seed, so the copy's are the Hub's; the baseline reads nothing else.
    await generateData(copy, { referrals: SIZES.referrals, services: 0, appRoot: root }).finally(() =>
      copy.close(),
    )
  }
  console.log(
    `Generated ${generated.referrals} referrals (${generated.needs} requests, ${generated.people} people), ` +
      `${generated.services} services (${generated.places} places), ` +
      `${generated.homeLibrary.members} Home Library members (${generated.homeLibrary.visits} visits) ` +
      `${generated.sessions.sessions} session dates (${generated.sessions.bookings} bookings) ` +
      `${generated.actions.actions} partnership actions (${generated.actions.meetings} meetings) ` +
      `${generated.devices.devices} devices (${generated.devices.loans} loans) ` +
      `${generated.auditRows} audit rows ` +
      `in ${(generated.ms / 1000).toFixed(1)} s; ` +
      (DATABASE === 'sqlite' ? `database ${(size / 1024 / 1024).toFixed(1)} MB` : 'on PostgreSQL'),
  )
  if (verified) console.log(auditRateLine(VERIFY_AUDIT, verified))
  if (targets.length === 0 && !SOAK_SECONDS) {
    if (runJobs) console.log(`\n${jobTable(await jobTimes({ ...process.env, ...hubEnv }))}`)
    return
  }
  if (process.env.BENCH_WAIT_QUIET) await untilQuiet()
  const where =
    DATABASE === 'sqlite'
      ? `SQLite in ${tmp}`
      : `PostgreSQL, ${new URL(hubEnv.DATABASE_URL).pathname.slice(1)}`
  console.log(`Starting the Hub (${where}) and a bare Fastify server...`)
  const hub = startChild('the Hub', 'src/main.ts', { port: hubPort, env: hubEnv, nodeArgs, cwd: root })
  const bare = startChild('bare Fastify', 'scripts/bench/bare-server.ts', {
    port: barePort,
    env: { PORT: String(barePort), NODE_ENV: 'production' },
    cwd: root,
  })
  const baseline = startChild('the baseline app', 'scripts/bench/baseline/server.ts', {
    port: baselinePort,
    env: {
      PORT: String(baselinePort),
      NODE_ENV: 'production',
      DATABASE_URL: baselineDatabase,
      SESSION_DATABASE: path.join(tmp, 'baseline-sessions.sqlite'),
    },
    cwd: root,
  })
  // Started once the first Hub has migrated the database, so the two never migrate it at once.
  await waitUntilReady(hub, '/readyz', 60_000)
  const hubProcesses = targets.some((t) => t.server === 'hubProcesses')
    ? await startHubProcesses(hubEnv, nodeArgs)
    : undefined
  await Promise.all([waitUntilReady(bare, '/', 30_000), waitUntilReady(baseline, '/sign-in', 30_000)])

  const admin = {
    name: 'Bench Administrator',
    email: 'bench.admin@hub.test',
    password: randomPassword(),
    roles: ['triage-officer', 'home-library-coordinator'],
  }
  const how = await createAdministrator(root, hubEnv, admin)
  // The baseline signs in against its own copy of the data on PostgreSQL runs.
  if (baselineDatabase !== hubEnv.DATABASE_URL)
    await createAdministrator(root, { ...hubEnv, DATABASE_URL: baselineDatabase }, admin)
  const staffCookie = await signIn(hub.baseUrl, admin)
  const baselineCookie = await signIn(baseline.baseUrl, admin, {
    path: '/sign-in',
    sessionCookie: 'connect.sid',
  })
  console.log(`Administrator created with the ${how}, signed in through /staff/sign-in.`)
  const lead = {
    name: 'Bench Partnership Lead',
    email: 'bench.lead@hub.test',
    password: randomPassword(),
    roles: ['partnership-lead'],
    administrator: false,
  }
  await createAdministrator(root, hubEnv, lead)
  const partnershipCookie = await signIn(hub.baseUrl, lead)
  const loadsDevices = [...targets, ...(SOAK_SECONDS ? allTargets : [])].some((t) =>
    t.name.startsWith(DEVICES),
  )
  const deviceCookie = loadsDevices
    ? await deviceCoordinator(root, hubEnv, hub.baseUrl, randomPassword())
    : undefined

  // Measured before any load, on a fresh server: what a first visitor downloads.
  const weight = await pageWeight(`${hub.baseUrl}/`)

  const ctx: BenchContext = {
    servers: {
      hub,
      ...(hubProcesses && { hubProcesses }),
      bare,
      baseline,
    },
    staffCookie,
    baselineCookie,
    partnershipCookie,
    deviceCookie,
    sample,
  }
  const opts = { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS }
  const results: LoadResult[] = []
  for (const target of targets.filter((t) => !compared.has(t.name))) {
    console.log(`Loading ${target.name}: ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured...`)
    const result = await runTarget(target, ctx, opts)
    // Said at once: a long run that fails later still shows what it measured.
    console.log(`  ${shortLine(result)}`)
    results.push(result)
  }
  const inRounds = await runInRounds(
    targets.filter((t) => compared.has(t.name)),
    ctx,
    opts,
    ROUNDS,
    (line) => console.log(line),
  )
  results.push(...inRounds.results)
  let soaked: SoakFigures | undefined
  if (SOAK_SECONDS) {
    console.log(`Soak: a mix of the Hub's pages for ${SOAK_SECONDS} s at ${CONNECTIONS} connections...`)
    // The first tenth warms the caches and the heap up to their working size: growth is from there on.
    const warmupSeconds = Math.max(WARMUP_SECONDS, SOAK_SECONDS / 10)
    soaked = await soak(soakTargets(allTargets), ctx, { ...opts, warmupSeconds, seconds: SOAK_SECONDS })
  }
  const memory = { end: rssOf(hub.pid), most: peakRssOf(hub.pid) }
  if (snapshotDir) console.log(`Heap snapshot of the Hub: ${await heapSnapshot(hub.pid, snapshotDir)}`)
  let jobs: JobTime[] | undefined
  if (runJobs) {
    console.log(`Running each of the ${JOBS} twice...`)
    jobs = await jobTimes({ ...process.env, ...hubEnv })
  }

  const machine = `node ${process.version}, ${os.cpus().length} CPUs, load average now ${os.loadavg()[0]?.toFixed(2)}`
  console.log(
    `\nLoad: ${CONNECTIONS} connections, ${SECONDS} s per target (${machine}; the Hub on ${DATABASE})\n`,
  )
  console.log(loadTable(results))
  if (inRounds.ratios.length) {
    console.log(
      `\nCompared in ${ROUNDS} interleaved rounds (requests per second, each round's ratio; the median)\n`,
    )
    console.log(ratioTable(inRounds.ratios))
  }
  const sent = submissionsTable(results)
  if (sent) console.log(`\nReferrals sent (p50/p95/p99: the send POST, /refer/check)\n\n${sent}`)
  console.log('\nHome page, first visit (accept-encoding: br, gzip; body bytes on the wire)\n')
  console.log(weightTable(weight))
  const t = weight.totals
  console.log(
    `\nHTML ${kb(t.html)}, CSS ${kb(t.css)}, JS ${kb(t.js)}, other ${kb(t.other)}; total ${kb(weight.total)}`,
  )
  console.log(`Third-party origins: ${weight.thirdPartyOrigins.length} ${weight.thirdPartyOrigins.join(' ')}`)
  if (bulletin) console.log(`\n${bulletinLine(bulletin)}`)
  if (verified) console.log(`\n${auditRateLine(VERIFY_AUDIT, verified)}`)
  if (soaked) console.log(`\n${soakLine(soaked)}`)
  if (jobs) console.log(`\n${jobTable(jobs)}`)
  console.log(
    `\nThe Hub's resident memory at the end of the run: ${mb(memory.end)} (the most it had: ${mb(memory.most)})`,
  )

  printChecks([
    ...checks(results, inRounds.ratios, weight),
    ...(verified ? [auditRateCheck(verified)] : []),
    ...(jobs ? [jobCheck(JOBS, jobs)] : []),
    ...memoryChecks(memory, soaked),
  ])
  // For `npm run bench:both`, which sets this and prints each database's figures side by side.
  if (process.env.BENCH_RESULTS_JSON)
    fs.writeFileSync(process.env.BENCH_RESULTS_JSON, JSON.stringify({ database: DATABASE, results }))
}

/** The same Hub on the same database with SCALE_PROCESSES app processes sharing one port. */
/** One target's figures in a line, as measured. */
function shortLine(r: LoadResult): string {
  const cpu =
    r.serverCpuPerRequest === null ? '' : `, ${r.serverCpuPerRequest.toFixed(2)} ms of CPU a request`
  return `${Math.round(r.requestsPerSecond)} req/s, p95 ${Math.round(r.p95)} ms${cpu}; answers ${r.statusCodes}`
}

async function startHubProcesses(hubEnv: Record<string, string>, nodeArgs: string[]) {
  const port = await freePort()
  const child = startChild(`the Hub with ${SCALE_PROCESSES} processes`, 'src/main.ts', {
    port,
    env: {
      ...hubEnv,
      WEB_CONCURRENCY: String(SCALE_PROCESSES),
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    nodeArgs,
    cwd: root,
  })
  await waitUntilReady(child, '/readyz', 60_000)
  return child
}

function checks(
  results: LoadResult[],
  ratios: Ratio[],
  weight: Awaited<ReturnType<typeof pageWeight>>,
): Check[] {
  const list: Check[] = [
    {
      name: 'home page first visit <= 40 KB compressed',
      pass: weight.total <= PAGE_WEIGHT_LIMIT,
      detail: kb(weight.total),
    },
    {
      name: 'third-party origins on the home page == 0',
      pass: weight.thirdPartyOrigins.length === 0,
      detail: String(weight.thirdPartyOrigins.length),
    },
  ]
  for (const target of targets) {
    const r = results.find((x) => x.name === target.name)
    const goal = target.goal
    if (!r || !goal) continue
    if (goal.minRequestsPerSecond !== undefined)
      list.push({
        name: `${target.name} >= ${goal.minRequestsPerSecond} req/s at ${CONNECTIONS} connections`,
        pass: r.requestsPerSecond >= goal.minRequestsPerSecond && r.non2xx === 0 && r.errors === 0,
        detail: `${r.requestsPerSecond.toFixed(0)} req/s, ${r.non2xx} non-2xx, ${r.errors} errors`,
      })
    if (goal.minSubmissionsPerSecond !== undefined && r.submissions)
      list.push({
        name: `${target.name} >= ${goal.minSubmissionsPerSecond} sent a second`,
        pass: r.submissions.perSecond >= goal.minSubmissionsPerSecond && r.errors === 0,
        detail: `${r.submissions.perSecond.toFixed(0)} a second (${r.submissions.how}), ${r.errors} failed`,
      })
    const ratio = ratios.find((x) => x.name === target.name)
    if (goal.minRatio !== undefined && ratio)
      list.push({
        name: `${target.name} >= ${goal.minRatio}x ${ratio.of}`,
        pass: ratio.median >= goal.minRatio,
        detail: `${ratio.median.toFixed(2)}x (median of the rounds)`,
      })
    if (goal.maxCpuMsPerRequest !== undefined && r.serverCpuPerRequest !== null)
      list.push({
        name: `${target.name} <= ${goal.maxCpuMsPerRequest} ms of CPU a request`,
        pass: r.serverCpuPerRequest <= goal.maxCpuMsPerRequest,
        detail: `${r.serverCpuPerRequest.toFixed(3)} ms`,
      })
    if (goal.maxP95Ms !== undefined)
      list.push({
        name: `${target.name} p95 <= ${goal.maxP95Ms} ms`,
        pass: r.p95 <= goal.maxP95Ms,
        detail: `p95 ${r.p95.toFixed(2)} ms`,
      })
  }
  return list
}

const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`)

function soakLine(s: SoakFigures): string {
  return (
    `Soak, ${s.seconds} s at ${CONNECTIONS} connections (${s.requests} requests, ${s.non2xx} non-2xx, ` +
    `${s.errors} errors, over ${s.targets.length} targets): the Hub's memory ${mb(s.rssStart)} at the start, ` +
    `${mb(s.rssEnd)} at the end (${s.growth === null ? 'n/a' : `${s.growth.toFixed(1)}%`}), ` +
    `${mb(s.rssMost)} at most; CPU ${s.cpuPerRequest === null ? 'n/a' : s.cpuPerRequest.toFixed(3)} ms a request`
  )
}

function memoryChecks(memory: { end: number | null; most: number | null }, s?: SoakFigures): Check[] {
  const list: Check[] = []
  // Measured on one app process: with BENCH_WEB_CONCURRENCY above 1 the figure is the sum of them all.
  if (memory.end !== null && Number(process.env.BENCH_WEB_CONCURRENCY ?? 1) <= 1)
    list.push({
      name: `the Hub's memory at the end of the run <= ${mb(RSS_LIMIT)}`,
      pass: memory.end <= RSS_LIMIT,
      detail: `${mb(memory.end)} (at most ${mb(memory.most)})`,
    })
  if (s && s.growth !== null)
    list.push({
      name: `the Hub's memory grows < ${SOAK_GROWTH_LIMIT}% over the soak`,
      pass: s.growth < SOAK_GROWTH_LIMIT && s.errors === 0,
      detail: `${s.growth.toFixed(1)}% in ${s.seconds} s, ${s.errors} errors`,
    })
  return list
}

/** Long and random: passes the Hub's password rules, never the same twice. */
function randomPassword(): string {
  return `Load-${randomBytes(18).toString('base64url')}-9`
}

const cleanups: (() => void)[] = []
async function cleanUp(): Promise<void> {
  await stopChildren()
  for (const c of cleanups.splice(0)) c()
}

// Bounded: every step has its own timeout, and the whole run has this one.
// Generating the data (about 20 s) and filling in the send-only journeys take time of their own.
// The bulletin goes at the outbox's pace (a commit a batch, messages side by side): allow ten a second all
// the same, for a busy machine.
const bulletinSeconds = runBulletin ? BULLETIN_SUBSCRIBERS / 10 : 0
// Generating the device stock and its loans takes about a second per 2,000 rows on a busy machine.
const deviceSeconds = (SIZES.devices + SIZES.deviceLoans) / 2_000
// Referrals with their requests and history go in at a thousand a second and more on a quiet machine, audit
// rows at tens of thousands: allow a few times longer, for a busy one.
const generateSeconds = SIZES.referrals / 300 + SIZES.auditRows / 3_000
const budgetMs =
  (targets.length * ROUNDS * (SECONDS + WARMUP_SECONDS + 15) +
    SOAK_SECONDS * 1.1 +
    300 +
    bulletinSeconds +
    deviceSeconds +
    generateSeconds) *
  1000
const budget = setTimeout(() => {
  console.error(`\nThe benchmark took longer than ${budgetMs / 1000} s: stopping.`)
  void cleanUp().then(() => process.exit(1))
}, budgetMs)
budget.unref()
process.on('exit', killChildrenNow)
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void cleanUp().then(() => process.exit(130)))

try {
  await main()
} catch (error) {
  console.error(`\nBenchmark failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  await cleanUp()
  clearTimeout(budget)
}
