import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { MODULES, servicesOf } from '#modules/index.ts'
import { AuditKeys, AuditLog } from '#platform/audit.ts'
import { composeHub } from '#platform/compose.ts'
import { loadConfig } from '#platform/config.ts'
import { openDatabase } from '#platform/database.ts'
import { migrateToLatest } from '#platform/migrate.ts'
import { buildApp } from '../../src/app.ts'
import { referralBody } from '../../src/modules/referrals/testing.ts'
import { APP_ROOT } from './hub.ts'

/**
 * Real faults for the reliability tests: a PostgreSQL server of the test's own to stop, freeze and start;
 * the Hub as a process of its own to kill; partners sending referrals through the API meanwhile.
 */

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Asks `check` every 50 ms until it answers true; answers the milliseconds that took, or fails. */
export async function within(
  ms: number,
  what: string,
  check: () => Promise<boolean>,
  detail: () => string = () => '',
): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < ms) {
    if (await check().catch(() => false)) return Date.now() - started
    await sleep(50)
  }
  assert.fail(`${what}: not within ${ms} ms ${detail()}`)
}

const asRoot = process.getuid?.() === 0

/** A PostgreSQL cluster in a temporary folder, as scripts/with-postgres.sh makes one, but for one test. */
export class PostgresServer {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  get url(): string {
    return `postgres://hub@127.0.0.1:${this.port}/postgres`
  }

  static async create(): Promise<PostgresServer> {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b))
    const bin = `/usr/lib/postgresql/${versions.at(-1)}/bin`
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-faults-pg-'))
    if (asRoot) execFileSync('chown', ['postgres', dir])
    const server = new PostgresServer(dir, await freePort(), bin)
    server.run('initdb', ['-D', `${dir}/data`, '-U', 'hub', '--auth=trust', '-E', 'UTF8', '--no-locale'])
    await server.start()
    return server
  }

  private run(tool: string, args: string[]): void {
    const command = asRoot ? 'runuser' : `${this.bin}/${tool}`
    const full = asRoot ? ['-u', 'postgres', '--', `${this.bin}/${tool}`, ...args] : args
    execFileSync(command, full, { stdio: 'ignore' })
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`
    this.run('pg_ctl', ['-D', `${this.dir}/data`, '-l', `${this.dir}/log`, '-w', '-o', options, 'start'])
  }

  /** As a crash or a pulled plug: no goodbye to the clients. */
  stop(): void {
    this.run('pg_ctl', ['-D', `${this.dir}/data`, '-m', 'immediate', 'stop'])
  }

  /** Every server process stopped in its tracks (SIGSTOP): connections stay open but nothing answers. */
  freeze(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGSTOP')
  }

  thaw(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGCONT')
  }

  private pids(): number[] {
    const postmaster = Number(fs.readFileSync(`${this.dir}/data/postmaster.pid`, 'utf8').split('\n')[0])
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
    return [
      postmaster,
      ...children
        .split('\n')
        .filter((l) => l.trim())
        .map(Number),
    ]
  }

  destroy(): void {
    try {
      this.thaw()
    } catch {}
    try {
      this.stop()
    } catch {}
    fs.rmSync(this.dir, { recursive: true, force: true })
  }
}

/** A migrated database with reference data and a partner API key, made in this process. */
export async function preparedDatabase(url: string): Promise<{ apiKey: string }> {
  const database = openDatabase(url)
  try {
    const { migrations, settings } = composeHub(MODULES)
    await migrateToLatest(database, migrations)
    const config = loadConfig(
      { NODE_ENV: 'test', APP_ROOT, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      settings,
    )
    const hub = await buildApp({ config, database, logger: false })
    await hub.loadReferenceData()
    const org = await database.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()
    const ctx = { userId: null, actor: 'cli', ip: null, requestId: null }
    const apiKey = await servicesOf(hub).accounts.createApiKey(org.id, ctx)
    await hub.app.close()
    return { apiKey }
  } finally {
    await database.close()
  }
}

export interface HubProcess {
  child: ChildProcess
  port: number
  output(): string
  exited: Promise<number | null>
  url(p: string): string
}

const running: ChildProcess[] = []
const loads: Submitters[] = []

/** Kills whatever a failed test left running, so its pipes and loops do not hold the test file open. */
export async function killLeftovers(): Promise<void> {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await Promise.all(loads.map((load) => load.stop()))
}

/** Starts the Hub as `npm start` does (or through npm itself), and waits until it is ready. */
export async function startHub(
  env: Record<string, string>,
  opts: { viaNpm?: boolean; port?: number; waitReady?: boolean } = {},
): Promise<HubProcess> {
  const port = opts.port ?? (await freePort())
  const [command, args] = opts.viaNpm
    ? ['npm', ['start', '--silent']]
    : [process.execPath, ['--import', 'tsx', 'src/main.ts']]
  const child = spawn(command, args as string[], {
    cwd: APP_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
      WORKER_POLL_MS: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  let output = ''
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const hub = {
    child,
    port,
    output: () => output,
    exited,
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
  }
  if (opts.waitReady === false) return hub
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(hub.url('/readyz'))).ok) return hub
    } catch {}
    await sleep(100)
  }
  child.kill('SIGKILL')
  throw new Error(`The Hub did not start:\n${output}`)
}

/** One request on a connection of its own (as a load balancer opens them), with a time limit. */
export function request(
  port: number,
  opts: {
    method?: string
    path: string
    body?: unknown
    headers?: Record<string, string>
    timeoutMs?: number
  },
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders; ms: number }> {
  const started = Date.now()
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        agent: false,
        headers: {
          connection: 'close',
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d) => {
          body += d
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers, ms: Date.now() - started }),
        )
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs ?? 30_000} ms`)))
    req.on('error', reject)
    req.end(payload)
  })
}

let ipCounter = 1

/**
 * Partner systems sending referrals through the API, `concurrency` at a time, until stopped. Each comes
 * from an address of its own (through X-Forwarded-For) so the per-address limit does not refuse them.
 * Keeps every acknowledged reference and how each request ended.
 */
export class Submitters {
  readonly acknowledged: string[] = []
  readonly statuses = new Map<string, number>()
  readonly slowest: number[] = []
  private stopped = false
  private loops: Promise<void>[] = []

  constructor(
    private readonly port: () => number,
    private readonly apiKey: string,
    concurrency: number,
    private readonly timeoutMs = 30_000,
  ) {
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop())
    loads.push(this)
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const n = ipCounter++
      const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
      let outcome: string
      try {
        const res = await request(this.port(), {
          method: 'POST',
          path: '/api/v1/referrals',
          body: apiBody(),
          headers: { authorization: `Bearer ${this.apiKey}`, 'x-forwarded-for': ip },
          timeoutMs: this.timeoutMs,
        })
        outcome = String(res.status)
        if (res.status === 201)
          this.acknowledged.push((JSON.parse(res.body) as { reference: string }).reference)
        this.slowest.push(res.ms)
      } catch (error) {
        outcome = (error as { code?: string }).code ?? (error as Error).message
        await sleep(20)
      }
      this.statuses.set(outcome, (this.statuses.get(outcome) ?? 0) + 1)
      if (outcome !== '201') await sleep(20)
    }
  }

  count(outcome: string): number {
    return this.statuses.get(outcome) ?? 0
  }

  summary(): string {
    return JSON.stringify(Object.fromEntries(this.statuses))
  }

  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all(this.loops)
  }
}

/** A referral as a partner system sends it through the API. */
export function apiBody() {
  const { onBehalf: _o, ...body } = referralBody()
  return body
}

/**
 * What must hold after any fault: every acknowledged referral is there with its needs, nothing is
 * half-written (no referral without needs or audit), and the audit chain verifies.
 */
export async function checkWhole(url: string, acknowledged: string[]): Promise<{ referrals: number }> {
  const database = openDatabase(url)
  try {
    const { db } = database
    const refs = acknowledged.map((r) => r.replace('-', ''))
    const found = new Set<string>()
    for (let i = 0; i < refs.length; i += 500) {
      const rows = await db
        .selectFrom('referrals')
        .select('reference')
        .where('reference', 'in', refs.slice(i, i + 500))
        .execute()
      for (const r of rows) found.add(r.reference)
    }
    const missing = refs.filter((r) => !found.has(r))
    assert.deepEqual(missing, [], 'every acknowledged referral is there')
    const withoutNeeds = await db
      .selectFrom('referrals')
      .select('reference')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('referral_needs')
              .select('id')
              .whereRef('referral_needs.referral_id', '=', 'referrals.id'),
          ),
        ),
      )
      .execute()
    assert.deepEqual(withoutNeeds, [], 'no referral is half-written')
    // Compared here, not joined: the audit's record ids are text, a referral's id a uuid on PostgreSQL.
    const ids = await db.selectFrom('referrals').select('id').execute()
    const audited = await db
      .selectFrom('audit_events')
      .select('record_id')
      .where('action', '=', 'referral.submitted')
      .execute()
    const auditedIds = new Set(audited.map((a) => a.record_id))
    const unaudited = ids.filter((r) => !auditedIds.has(r.id))
    assert.deepEqual(unaudited, [], 'every referral has its audit entry')
    const chain = await new AuditLog(database, new AuditKeys(loadConfig({}).auditKey)).verify()
    assert.ok(chain.ok, `the audit chain verifies: ${JSON.stringify(chain)}`)
    const total = await db
      .selectFrom('referrals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return { referrals: Number(total.n) }
  } finally {
    await database.close()
  }
}
