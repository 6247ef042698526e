/**
 * The soak (BENCH_SOAK_SECONDS): the Hub's pages that are only read (the staff page, the triage queue,
 * find-help with one search and with a different one each time, the sessions list...), one after the other
 * on every connection, for a long time. Memory that grows under such a load, where the data does not, is
 * memory the Hub keeps and never gives back: the growth from the start to the end is its measure.
 */
import autocannon, { type Options, type Result } from 'autocannon'
import type { BenchContext, Target } from './load.ts'
import { cpuMsOf, rssOf } from './processes.ts'

export interface SoakFigures {
  seconds: number
  requests: number
  non2xx: number
  errors: number
  /** The Hub's resident memory after the warm-up, at the end, and the most seen in between (bytes). */
  rssStart: number | null
  rssEnd: number | null
  rssMost: number | null
  /** Growth from start to end, in % of the start. */
  growth: number | null
  /** The Hub's CPU time per response over the soak, in ms (garbage collection included). */
  cpuPerRequest: number | null
  targets: string[]
}

/** How often the Hub's memory is read during the soak. */
const SAMPLE_MS = 5_000

/** The targets of the soak: the Hub's GET targets loaded by autocannon (not the forms' own runs). */
export function soakTargets(targets: Target[]): Target[] {
  return targets.filter((t) => t.server === 'hub' && !t.run && (t.method ?? 'GET') === 'GET')
}

export async function soak(
  targets: Target[],
  ctx: BenchContext,
  opts: { seconds: number; warmupSeconds: number; connections: number },
): Promise<SoakFigures> {
  const hub = ctx.servers.hub
  if (!hub) throw new Error('soak: no Hub')
  const mix = await Promise.all(
    targets.map(async (t) => {
      const extra = t.setup ? await t.setup(ctx) : {}
      const headers = { ...t.headers, ...extra.headers }
      const path = extra.path ?? t.path
      return { next: t.nextPath ?? (() => path), headers }
    }),
  )
  let i = 0
  const load: Options = {
    url: hub.baseUrl,
    connections: opts.connections,
    requests: [
      {
        setupRequest: (req) => {
          const t = mix[i++ % mix.length] as (typeof mix)[number]
          return { ...req, method: 'GET', path: t.next(), headers: t.headers }
        },
      },
    ],
  }
  if (opts.warmupSeconds > 0) await run({ ...load, duration: opts.warmupSeconds })
  const rssStart = rssOf(hub.pid)
  const cpuStart = cpuMsOf(hub.pid)
  let rssMost = rssStart
  const sampler = setInterval(() => {
    const rss = rssOf(hub.pid)
    if (rss !== null && (rssMost === null || rss > rssMost)) rssMost = rss
  }, SAMPLE_MS)
  const result = await run({ ...load, duration: opts.seconds }).finally(() => clearInterval(sampler))
  const cpuEnd = cpuMsOf(hub.pid)
  const rssEnd = rssOf(hub.pid)
  if (rssEnd !== null && (rssMost === null || rssEnd > rssMost)) rssMost = rssEnd
  return {
    seconds: opts.seconds,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    rssStart,
    rssEnd,
    rssMost,
    growth: rssStart && rssEnd !== null ? (100 * (rssEnd - rssStart)) / rssStart : null,
    cpuPerRequest:
      cpuStart === null || cpuEnd === null || !result.requests.total
        ? null
        : (cpuEnd - cpuStart) / result.requests.total,
    targets: targets.map((t) => t.name),
  }
}

function run(options: Options): Promise<Result> {
  return new Promise((resolve, reject) =>
    autocannon({ timeout: 10, ...options }, (error, result) => (error ? reject(error) : resolve(result))),
  )
}
