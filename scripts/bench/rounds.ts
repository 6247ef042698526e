/**
 * Targets compared with each other are loaded in interleaved rounds (A, B, C, A, B, C, ...), each round
 * short, so that other work on a noisy machine falls on all of them alike; the ratio of each round is
 * kept and the median reported.
 */
import { type BenchContext, type LoadOptions, type LoadResult, runTarget, type Target } from './load.ts'

export interface Ratio {
  name: string
  of: string
  perRound: number[]
  median: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/**
 * Each target's row is its median round (by requests per second); ratios are per round, then the median
 * of the rounds that served anything.
 */
export async function runInRounds(
  targets: Target[],
  ctx: BenchContext,
  opts: LoadOptions,
  rounds: number,
  log: (line: string) => void,
): Promise<{ results: LoadResult[]; ratios: Ratio[] }> {
  const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]))
  for (let round = 1; round <= rounds; round++) {
    for (const target of targets) {
      log(`Round ${round} of ${rounds}: ${target.name}, ${opts.seconds} s...`)
      const warmupSeconds = round === 1 ? opts.warmupSeconds : 0
      runs.get(target.name)?.push(await runTarget(target, ctx, { ...opts, warmupSeconds }))
    }
  }
  const results = targets.map((t) => {
    const all = [...(runs.get(t.name) ?? [])].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)
    return all[Math.floor(all.length / 2)] as LoadResult
  })
  const ratios = targets
    .filter((t) => t.ratioTo)
    .map((t) => {
      const mine = runs.get(t.name) ?? []
      const theirs = runs.get(t.ratioTo as string) ?? []
      const perRound = mine.map((r, i) => r.requestsPerSecond / (theirs[i]?.requestsPerSecond || Number.NaN))
      const counted = perRound.filter(Number.isFinite)
      return {
        name: t.name,
        of: t.ratioTo as string,
        perRound,
        median: counted.length ? median(counted) : Number.NaN,
      }
    })
  return { results, ratios }
}
