/**
 * What each periodic job costs on the generated data. Jobs run in the server's process by default,
 * beside its requests (on SQLite, each query on its event loop), so a job whose reads grow with the data
 * slows every page once an hour. Each is run here twice, in this process, on the Hub's database as the
 * load left it (the Hub idle): the first run does what is due; the next is what every later run costs,
 * and must stay small however big the tables grow. The daily audit check is left out: it walks the whole
 * trail on a thread of its own, and is measured as verify-audit.
 */
import { MODULES } from '#modules/index.ts'
import { composeHub } from '#platform/compose.ts'
import { buildApp } from '../../src/app.ts'
import { AUDIT_ANCHOR_JOB } from '../../src/platform/audit-anchor.ts'
import { loadConfig } from '../../src/platform/config.ts'
import { openDatabase } from '../../src/platform/database.ts'
import type { Check } from './report.ts'
import { table } from './report.ts'

export interface JobTime {
  name: string
  firstMs: number
  nextMs: number
}

/** A later run of any job at most this long. */
const GOAL_MS = 50

/** Every job but the audit check, timed on the database of `env` (the Hub's). */
export async function jobTimes(env: Record<string, string | undefined>): Promise<JobTime[]> {
  const { settings } = composeHub(MODULES)
  const config = loadConfig({ ...env, WORKER: 'off', LOG_LEVEL: 'silent' }, settings)
  const database = openDatabase(config.DATABASE_URL)
  const hub = await buildApp({ config, database, logger: false })
  const times: JobTime[] = []
  try {
    for (const job of hub.jobs) {
      if (job.name === AUDIT_ANCHOR_JOB) continue
      const timed = async () => {
        const started = performance.now()
        await job.run(new Date())
        return performance.now() - started
      }
      times.push({ name: job.name, firstMs: await timed(), nextMs: await timed() })
    }
  } finally {
    await hub.app.close()
    await database.close()
  }
  return times
}

export function jobTable(times: JobTime[]): string {
  return table([
    ['periodic job', 'first run ms', 'next run ms'],
    ...times.map((t) => [t.name, t.firstMs.toFixed(1), t.nextMs.toFixed(1)]),
  ])
}

export function jobCheck(name: string, times: JobTime[]): Check {
  const worst = times.reduce((a, b) => (b.nextMs > a.nextMs ? b : a))
  return {
    name: `${name}: each job's next run <= ${GOAL_MS} ms`,
    pass: worst.nextMs <= GOAL_MS,
    detail: `the longest ${worst.name}, ${worst.nextMs.toFixed(1)} ms`,
  }
}
