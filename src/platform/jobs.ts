import type { Database } from './database.ts'

declare module './database.ts' {
  interface Tables {
    job_runs: { name: string; last_run_at: string }
  }
}

export interface PeriodicJob {
  name: string
  everyMinutes: number
  /** `now` is the runner's time: tests move it to run a job as if days had passed. */
  run(now: Date): Promise<void>
}

/**
 * Runs housekeeping and digests on a schedule, in whichever worker process gets there first:
 * a job is claimed by moving its `last_run_at` with a conditional update, which only one process
 * can win, so several workers never run the same job twice.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = true
  private failures = 0

  constructor(
    private readonly database: Database,
    private readonly jobs: PeriodicJob[],
    private readonly log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void },
    private readonly checkEveryMs = 60_000,
  ) {}

  start(): void {
    this.stopped = false
    this.schedule()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** The next look, later after each failure in a row (the database away): up to 16 times the usual wait. */
  private schedule(): void {
    if (this.stopped) return
    const delay = this.checkEveryMs * 2 ** Math.min(this.failures, 4)
    this.timer = setTimeout(() => {
      this.running = this.runDue()
        .then(() => {
          this.failures = 0
        })
        .catch((error: unknown) => {
          this.failures++
          this.log.warn(
            { err: error, failures: this.failures },
            'periodic jobs could not run; will try again',
          )
        })
        .finally(() => {
          this.running = undefined
          this.schedule()
        })
    }, delay)
    this.timer.unref()
  }

  /** Runs every job whose time has come and that this process claims. Answers the names it ran. */
  async runDue(now = new Date()): Promise<string[]> {
    const ran: string[] = []
    for (const job of this.jobs) {
      if (!(await this.claim(job, now))) continue
      try {
        await job.run(now)
        ran.push(job.name)
      } catch (error) {
        this.log.error({ err: error, job: job.name }, 'periodic job failed')
      }
    }
    return ran
  }

  private async claim(job: PeriodicJob, now: Date): Promise<boolean> {
    const { db } = this.database
    const at = now.toISOString()
    const dueBefore = new Date(now.getTime() - job.everyMinutes * 60_000).toISOString()
    await db
      .insertInto('job_runs')
      .values({ name: job.name, last_run_at: new Date(0).toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute()
    const result = await db
      .updateTable('job_runs')
      .set({ last_run_at: at })
      .where('name', '=', job.name)
      .where('last_run_at', '<=', dueBefore)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }
}
