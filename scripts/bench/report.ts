/** The printed table and the PASS/FAIL lines of the benchmark. */
import type { LoadResult } from './load.ts'
import type { Ratio } from './rounds.ts'
import type { PageWeight } from './weight.ts'

export interface Check {
  name: string
  pass: boolean
  detail: string
}

const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)}`)
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a')
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

/** A plain-text table: first row is the heading; numbers right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  const [head, ...body] = rows
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

/** The compared targets: each round's ratio of requests per second, and the median. */
export function ratioTable(ratios: Ratio[]): string {
  return table([
    ['target', 'as a ratio of', 'each round', 'median'],
    ...ratios.map((r) => [
      r.name,
      r.of,
      r.perRound.map((x) => x.toFixed(2)).join(' '),
      `${r.median.toFixed(2)}x`,
    ]),
  ])
}

export function loadTable(results: LoadResult[]): string {
  return table([
    [
      'target',
      'req/s',
      'requests',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'non-2xx',
      'errors',
      'RSS MB before',
      'after',
      'server CPU %',
      'CPU ms/req',
      'loader CPU %',
    ],
    ...results.map((r) => [
      `${r.name} (${r.path})`,
      r.requestsPerSecond.toFixed(0),
      String(r.total),
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      String(r.non2xx),
      r.timeouts ? `${r.errors} (${r.timeouts} timeouts)` : String(r.errors),
      mb(r.rssBefore),
      mb(r.rssAfter),
      r.serverCpu === null ? 'n/a' : r.serverCpu.toFixed(0),
      r.serverCpuPerRequest === null ? 'n/a' : r.serverCpuPerRequest.toFixed(3),
      r.loaderCpu.toFixed(0),
    ]),
  ])
}

export function weightTable(weight: PageWeight): string {
  const origin = new URL(weight.resources[0]?.url ?? 'http://x').origin
  return table([
    ['resource', 'kind', 'status', 'encoding', 'on the wire', 'uncompressed'],
    ...weight.resources.map((r) => [
      r.url.replace(origin, ''),
      r.kind,
      String(r.status),
      r.encoding,
      kb(r.wireBytes),
      kb(r.bytes),
    ]),
    ['total', '', '', '', kb(weight.total), kb(weight.resources.reduce((s, r) => s + r.bytes, 0))],
  ])
}

export function printChecks(checks: Check[]): void {
  console.log('\nTargets')
  for (const c of checks) console.log(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`)
  const missed = checks.filter((c) => !c.pass)
  console.log(
    missed.length === 0
      ? '\nAll targets met.'
      : `\n${missed.length} of ${checks.length} targets missed: ${missed.map((c) => c.name).join('; ')}`,
  )
}

/** For the referral journey targets: referrals sent per second and the latency of the send POST. */
export function submissionsTable(results: LoadResult[]): string | null {
  const rows = results.flatMap((r) => (r.submissions ? [{ name: r.name, s: r.submissions }] : []))
  if (!rows.length) return null
  return table([
    ['target', 'how', 'referrals sent', 'per second', 'p50 ms', 'p95 ms', 'p99 ms'],
    ...rows.map(({ name, s }) => [
      name,
      s.how,
      String(s.completed),
      s.perSecond.toFixed(1),
      ms(s.p50),
      ms(s.p95),
      ms(s.p99),
    ]),
  ])
}
