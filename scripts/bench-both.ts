/**
 * `npm run bench:both`: the benchmark on SQLite, then on PostgreSQL (`npm run bench:postgres`), with the
 * same settings (BENCH_ONLY and the rest), and each target's figures on both databases side by side.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { LoadResult } from './bench/load.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-both-'))
const runs = [
  { database: 'sqlite', script: 'bench' },
  { database: 'postgres', script: 'bench:postgres' },
] as const

const figures = new Map<string, Map<string, LoadResult>>()
for (const run of runs) {
  const file = path.join(dir, `${run.database}.json`)
  console.log(`\n=== The benchmark with the Hub on ${run.database} ===\n`)
  const done = spawnSync('npm', ['run', '--silent', run.script], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS_JSON: file },
  })
  if (done.status !== 0 || !fs.existsSync(file)) {
    console.error(`The benchmark on ${run.database} failed (exit ${done.status}).`)
    process.exit(1)
  }
  const { results } = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: LoadResult[] }
  for (const r of results) {
    const row = figures.get(r.name) ?? new Map<string, LoadResult>()
    row.set(run.database, r)
    figures.set(r.name, row)
  }
}
fs.rmSync(dir, { recursive: true, force: true })

const cell = (r: LoadResult | undefined) =>
  r
    ? `${r.requestsPerSecond.toFixed(0)} req/s, p95 ${r.p95.toFixed(1)} ms, ${r.serverCpuPerRequest?.toFixed(3) ?? '-'} CPU ms`
    : '-'
const rows = [...figures].map(([name, byDb]) => [name, cell(byDb.get('sqlite')), cell(byDb.get('postgres'))])
const header = ['target', 'SQLite', 'PostgreSQL']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ')
console.log(`\nBoth databases (req/s, p95 and the Hub's CPU ms a request, at the same settings)\n`)
console.log(line(header))
console.log(line(widths.map((w) => '-'.repeat(w))))
for (const r of rows) console.log(line(r))
