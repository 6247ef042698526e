/**
 * Which database the benchmark gives the Hub: a SQLite file (the default), or with
 * BENCH_DATABASE=postgres a fresh database on the PostgreSQL server at BENCH_POSTGRES_URL (or the one
 * `scripts/with-postgres.sh` started, TEST_POSTGRES_URL). `npm run bench:postgres` starts such a server with
 * PostgreSQL's own durable settings, so that a booking committed is on disk as in production.
 */
import path from 'node:path'
import pg from 'pg'

export type BenchDatabase = 'sqlite' | 'postgres'

export function benchDatabase(): BenchDatabase {
  const asked = process.env.BENCH_DATABASE ?? 'sqlite'
  if (asked !== 'sqlite' && asked !== 'postgres')
    throw new Error(`BENCH_DATABASE must be sqlite or postgres, not ${asked}`)
  return asked
}

/** The Hub's DATABASE_URL for this run: a file in `dir`, or a database made for it on the server. */
export async function benchDatabaseUrl(kind: BenchDatabase, dir: string): Promise<string> {
  if (kind === 'sqlite') return path.join(dir, 'hub.sqlite')
  const server = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL
  if (!server)
    throw new Error('BENCH_DATABASE=postgres needs BENCH_POSTGRES_URL: run `npm run bench:postgres`')
  const name = `hub_bench_${Date.now().toString(36)}`
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    await client.query(`create database ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(server)
  url.pathname = `/${name}`
  return url.toString()
}
