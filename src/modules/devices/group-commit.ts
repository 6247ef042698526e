import type { Db, Tx } from '#platform/database.ts'

interface Job {
  work: (tx: Tx) => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/** Most pieces of work in one transaction: a bound on how long the first of them waits for its answer. */
const MOST_TOGETHER = 50

/**
 * Group commit: pieces of work asked for while a transaction is waiting for the database, or running, go
 * into one transaction together, committed once; each is answered only after that commit, so each is as
 * durable as if it had had a transaction of its own. Many allocations then take one BEGIN and one COMMIT
 * and one read of the audit chain's head, and on PostgreSQL one wait for the disk: every allocation locks
 * the audit head until it commits, so without this their commits could never share a flush there.
 *
 * When one piece fails (a device allocated meanwhile), the whole transaction is undone and each piece runs
 * again in a transaction of its own, so only the one that fails is refused, with its own reason, and every
 * guarantee of a piece alone (its conditional update, the unique index, the audit chain) holds as before.
 * A piece must therefore do nothing outside its transaction, and may be run twice.
 */
export function groupCommit(db: Pick<Db, 'transaction'>) {
  let waiting: Job[] = []
  let running = false

  async function runAll(): Promise<void> {
    while (waiting.length) {
      let batch: Job[] = []
      try {
        const results = await db.transaction().execute(async (tx) => {
          // Taken once the transaction has begun: what was asked while it waited for the database joins it.
          batch = waiting.slice(0, MOST_TOGETHER)
          waiting = waiting.slice(batch.length)
          const done: unknown[] = []
          for (const job of batch) done.push(await job.work(tx))
          return done
        })
        for (const [i, job] of batch.entries()) job.resolve(results[i])
      } catch (error) {
        // The transaction did not begin (the database busy or away): each of those waiting tries alone.
        if (!batch.length) {
          batch = waiting.slice(0, MOST_TOGETHER)
          waiting = waiting.slice(batch.length)
        }
        if (batch.length === 1) (batch[0] as Job).reject(error)
        else
          for (const job of batch)
            await db
              .transaction()
              .execute((tx) => job.work(tx))
              .then(job.resolve, job.reject)
      }
    }
    running = false
  }

  return {
    /** Runs `work` in a transaction, perhaps shared with others; answers once that transaction is committed. */
    run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ work, resolve: resolve as (value: unknown) => void, reject })
        if (running) return
        running = true
        // Better-sqlite3 answers at once, so a request runs to its end without letting another in: the
        // transaction begins once the requests already read from the network have had their turn, and
        // those that asked by then share it.
        setImmediate(() => void runAll())
      })
    },
  }
}
