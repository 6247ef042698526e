/**
 * The two referral-submission loads of the benchmark. "Whole journey": many residents at once, each
 * doing the full /refer journey (33 requests: every page shown, every answer posted with its CSRF token,
 * check answers, send, confirmation), again and again for the measured time. "Send only": journeys are
 * first filled in up to check answers, then all their send POSTs are made as fast as the Hub takes them:
 * the rate of the final POST alone.
 */
import { Client, fillIn, JourneyError, type Resident, send } from './journey.ts'
import { type BenchContext, type LoadOptions, type LoadResult, percentile } from './load.ts'
import { cpuMsOf, rssOf } from './processes.ts'

export interface Sample {
  client: Client
  sends: number[]
  errors: number
  lastError: string
}

export function failed(s: Sample, error: unknown): void {
  if (!(error instanceof JourneyError) && !(error instanceof Error)) throw error
  s.errors++
  s.lastError = error.message
}

/** Runs `work` for `seconds` on `connections` workers at once. */
export async function during(seconds: number, connections: number, work: () => Promise<void>): Promise<void> {
  const end = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await work()
    }),
  )
}

/** Server CPU and memory around `fn`, and the figures of the table. */
export async function measure(
  name: string,
  path: string,
  how: string,
  ctx: BenchContext,
  fn: (s: Sample) => Promise<void>,
  client: Client,
): Promise<LoadResult> {
  const server = ctx.servers.hub
  if (!server) throw new Error('no Hub')
  client.latencies = []
  client.statusCodes.clear()
  const s: Sample = { client, sends: [], errors: 0, lastError: '' }
  const rssBefore = rssOf(server.pid)
  const cpuBefore = cpuMsOf(server.pid)
  const loaderBefore = process.cpuUsage()
  const started = performance.now()
  await fn(s)
  const elapsed = performance.now() - started
  const cpuAfter = cpuMsOf(server.pid)
  const loader = process.cpuUsage(loaderBefore)
  const sends = Float64Array.from(s.sends).sort()
  const total = s.client.latencies.length
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore
  if (s.errors) console.log(`  ${s.errors} journeys failed; the last: ${s.lastError}`)
  const codes = [...s.client.statusCodes].map(([c, n]) => `${c}x${n}`).join(' ')
  return {
    name,
    path,
    requestsPerSecond: (total * 1000) / elapsed,
    total,
    p50: percentile(sends, 50),
    p95: percentile(sends, 95),
    p99: percentile(sends, 99),
    non2xx: [...s.client.statusCodes].filter(([c]) => c >= 400).reduce((sum, [, n]) => sum + n, 0),
    errors: s.errors,
    timeouts: 0,
    statusCodes: codes,
    rssBefore,
    rssAfter: rssOf(server.pid),
    serverCpu: cpu === null ? null : (100 * cpu) / elapsed,
    serverCpuPerRequest: cpu === null || !total ? null : cpu / total,
    loaderCpu: (100 * (loader.user + loader.system)) / 1000 / elapsed,
    submissions: {
      completed: s.sends.length,
      perSecond: (s.sends.length * 1000) / elapsed,
      p50: percentile(sends, 50),
      p95: percentile(sends, 95),
      p99: percentile(sends, 99),
      how,
    },
  }
}

/** A client for the Hub, closed once `fn` is done. */
export async function withClient<T>(
  ctx: BenchContext,
  connections: number,
  fn: (c: Client) => Promise<T>,
): Promise<T> {
  const server = ctx.servers.hub
  if (!server) throw new Error('no Hub')
  const client = new Client(server.baseUrl, connections)
  try {
    return await fn(client)
  } finally {
    client.close()
  }
}

export function wholeJourneys(name: string) {
  return (ctx: BenchContext, opts: LoadOptions) =>
    withClient(ctx, opts.connections, async (client) => {
      let n = 0
      const journey = async (s: Sample) => {
        const r = s.client.resident()
        try {
          await fillIn(r, n++, true)
          s.sends.push(await send(r))
        } catch (error) {
          failed(s, error)
        }
      }
      if (opts.warmupSeconds > 0)
        await measure(
          name,
          '',
          '',
          ctx,
          (s) => during(opts.warmupSeconds, opts.connections, () => journey(s)),
          client,
        )
      return measure(
        name,
        '/refer ... /refer/confirmation',
        'whole journey, 33 requests',
        ctx,
        (s) => during(opts.seconds, opts.connections, () => journey(s)),
        client,
      )
    })
}

export function sendOnly(name: string, journeys: number) {
  return (ctx: BenchContext, opts: LoadOptions) =>
    withClient(ctx, opts.connections, async (client) => {
      const prepared: Resident[] = []
      const prepStarted = performance.now()
      await measure(
        name,
        '',
        '',
        ctx,
        async (s) => {
          let n = 0
          await Promise.all(
            Array.from({ length: opts.connections }, async () => {
              while (n < journeys) {
                const r = s.client.resident()
                try {
                  await fillIn(r, n++, false)
                  prepared.push(r)
                } catch (error) {
                  failed(s, error)
                }
              }
            }),
          )
        },
        client,
      )
      console.log(
        `  ${prepared.length} journeys filled in up to check answers in ${((performance.now() - prepStarted) / 1000).toFixed(1)} s`,
      )
      return measure(
        name,
        'POST /refer/check',
        'send POST of prepared journeys',
        ctx,
        async (s) => {
          await Promise.all(
            Array.from({ length: opts.connections }, async () => {
              for (let r = prepared.pop(); r; r = prepared.pop()) {
                try {
                  const sent = await r.post('/refer/check', {})
                  if (sent.location !== '/refer/confirmation')
                    throw new JourneyError(`send went to ${sent.location}`)
                  s.sends.push(sent.ms)
                } catch (error) {
                  failed(s, error)
                }
              }
            }),
          )
        },
        client,
      )
    })
}
