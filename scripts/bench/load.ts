/**
 * One load target: what to request and from which server, run with autocannon for a fixed time.
 * New targets (form posts with CSRF, the triage queue, the Open Referral API) are one more entry in
 * the list in scripts/bench.ts; a `setup` step may seed data or fetch a token first.
 */
import autocannon, { type Options, type Result } from 'autocannon'
import type { BenchSample } from './case-load.ts'
import { cpuMsOf, rssOf } from './processes.ts'

export interface BenchContext {
  /** The servers under test, by name ('hub', 'bare', 'baseline'): base URL, pid, last lines printed. */
  servers: Record<string, { baseUrl: string; pid: number; output?: () => string }>
  /** Cookie header of a signed-in administrator on the Hub. */
  staffCookie: string
  /** The same administrator signed in to the baseline app. */
  baselineCookie: string
  /** Cookie header of a signed-in partnership lead (not an administrator) on the Hub. */
  partnershipCookie: string
  /** Cookie header of a device coordinator of one borough, when a devices target runs. */
  deviceCookie?: string
  /** Referrals and audit ids of the generated data, for the lookup targets. */
  sample?: BenchSample
}

export interface Target {
  name: string
  /** 'hubProcesses' is a second Hub on the same database with BENCH_SCALE_PROCESSES app processes. */
  server: 'hub' | 'hubProcesses' | 'bare' | 'baseline'
  /**
   * Measured as a ratio of this target's requests per second, in interleaved rounds (this target, then
   * the other), so that a busy machine slows both alike.
   */
  ratioTo?: string
  method?: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
  /** Status every response should have; checked once before the load. */
  expectStatus?: number
  /** Targets checked after the run; a target without a goal is measured only. */
  goal?: {
    minRequestsPerSecond?: number
    maxP95Ms?: number
    minSubmissionsPerSecond?: number
    /** The median of the rounds' ratios to `ratioTo`. */
    minRatio?: number
    /** The Hub's CPU time a request: the cost of a page whatever else the machine is doing. */
    maxCpuMsPerRequest?: number
  }
  /** A load of its own instead of autocannon's one request (a journey of several pages). */
  run?: (ctx: BenchContext, opts: LoadOptions) => Promise<LoadResult>
  /** A different path for each request (many searches, not one), instead of `path` every time. */
  nextPath?: () => string
  /** What changes from one request to the next besides the path (a form's answers, a resident's address). */
  nextRequest?: () => { body?: string; headers?: Record<string, string> }
  /** Runs first; what it answers is merged into the target (e.g. a session cookie, a CSRF body). */
  setup?: (ctx: BenchContext) => Promise<Partial<Pick<Target, 'headers' | 'body' | 'path'>>>
}

export interface LoadResult {
  name: string
  path: string
  requestsPerSecond: number
  total: number
  p50: number
  p95: number
  p99: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: string
  rssBefore: number | null
  rssAfter: number | null
  /** CPU the server used during the measured run, in % of one core (100 = one core busy all the time). */
  serverCpu: number | null
  /** Server CPU time per response, in ms: less swayed by other work on the machine than req/s. */
  serverCpuPerRequest: number | null
  /** The same for this process, the load generator. */
  loaderCpu: number
  /** Referrals sent, for the journey targets: how many, how fast, and the latency of the send POST. */
  submissions?: { completed: number; perSecond: number; p50: number; p95: number; p99: number; how: string }
}

export interface LoadOptions {
  seconds: number
  warmupSeconds: number
  connections: number
}

export async function runTarget(target: Target, ctx: BenchContext, opts: LoadOptions): Promise<LoadResult> {
  if (target.run) return target.run(ctx, opts)
  const server = ctx.servers[target.server]
  if (!server) throw new Error(`${target.name}: no server called ${target.server}`)
  const extra = target.setup ? await target.setup(ctx) : {}
  const t = { ...target, ...extra, headers: { ...target.headers, ...extra.headers } }
  const url = server.baseUrl + t.path
  const method = t.method ?? 'GET'

  // One request first, so that a redirect to sign-in cannot pass for a fast staff page. A 503 is asked
  // again for a while: the database may still be busy with the last target's queries, or marked away by
  // the Hub's monitor meanwhile; either is the last target's figure, not this one's.
  const expected = t.expectStatus ?? 200
  const probeStarted = performance.now()
  let probe = await fetch(url, { method, headers: t.headers, body: t.body, redirect: 'manual' })
  while (probe.status === 503 && expected !== 503 && performance.now() - probeStarted < 60_000) {
    await probe.arrayBuffer()
    await new Promise((resolve) => setTimeout(resolve, 500))
    probe = await fetch(url, { method, headers: t.headers, body: t.body, redirect: 'manual' })
  }
  await probe.arrayBuffer()
  const waited = (performance.now() - probeStarted) / 1000
  if (waited >= 1) console.log(`${t.name}: the first request was answered after ${waited.toFixed(1)} s.`)
  if (probe.status !== expected) {
    // What the server logged says why (a 503 may be the database monitor's, or a timeout's).
    const printed = server.output?.()
    throw new Error(
      `${t.name}: ${method} ${t.path} answered ${probe.status}, expected ${expected}` +
        (printed ? `\nThe server's last lines:\n${printed}` : ''),
    )
  }

  const next = t.nextPath
  const nextRequest = t.nextRequest
  const load: Options = {
    url,
    method,
    headers: t.headers,
    body: t.body,
    connections: opts.connections,
    requests:
      next || nextRequest
        ? [
            {
              setupRequest: (req) => {
                const changed = nextRequest?.() ?? {}
                return {
                  ...req,
                  ...(next ? { path: next() } : {}),
                  ...(changed.body === undefined ? {} : { body: changed.body }),
                  headers: { ...req.headers, ...changed.headers },
                }
              },
            },
          ]
        : undefined,
  }
  // A short run first, not counted, so that the figures are of warm code (JIT, caches, pools).
  if (opts.warmupSeconds > 0) await cannon({ ...load, duration: opts.warmupSeconds }, [])
  const rssBefore = rssOf(server.pid)
  const cpuBefore = cpuMsOf(server.pid)
  const loaderBefore = process.cpuUsage()
  const started = performance.now()
  const latencies: number[] = []
  const result = await cannon({ ...load, duration: opts.seconds }, latencies)
  const elapsed = performance.now() - started
  const cpuAfter = cpuMsOf(server.pid)
  const loader = process.cpuUsage(loaderBefore)
  const rssAfter = rssOf(server.pid)

  const sorted = Float64Array.from(latencies).sort()
  return {
    name: t.name,
    path: t.path,
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.entries(result.statusCodeStats)
      .map(([code, s]) => `${code}x${s.count}`)
      .join(' '),
    rssBefore,
    rssAfter,
    serverCpu: cpuBefore === null || cpuAfter === null ? null : (100 * (cpuAfter - cpuBefore)) / elapsed,
    serverCpuPerRequest:
      cpuBefore === null || cpuAfter === null || !result.requests.total
        ? null
        : (cpuAfter - cpuBefore) / result.requests.total,
    loaderCpu: (100 * (loader.user + loader.system)) / 1000 / elapsed,
  }
}

/** Runs autocannon; pushes every response's latency (ms) into `latencies`. */
function cannon(options: Options, latencies: number[]): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    const instance = autocannon({ timeout: 10, ...options }, (error, res) =>
      error ? reject(error) : resolve(res),
    )
    // autocannon's own histogram has p97.5 but no p95: keep every latency and sort them after.
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms)
    })
  })
}

/** Nearest-rank percentile of sorted values; NaN when there are none. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN
}
