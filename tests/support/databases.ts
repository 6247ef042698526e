import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { MODULES } from '#modules/index.ts'
import { composeHub } from '#platform/compose.ts'
import { type Database, openDatabase } from '#platform/database.ts'
import { migrateToLatest } from '#platform/migrate.ts'
import type { ModuleManifest } from '#platform/module.ts'

export type DialectName = 'sqlite' | 'postgres'
export const DIALECTS: DialectName[] = ['sqlite', 'postgres']

/**
 * A new, empty database of the given kind, migrated for the registry's modules (or a test's own list),
 * for one test file or one test.
 * SQLite: a file in a temporary folder. PostgreSQL: a new database on the server that
 * scripts/with-postgres.sh started (TEST_POSTGRES_URL); `npm test` always provides one.
 */
export async function freshDatabase(
  kind: DialectName,
  modules: ModuleManifest[] = MODULES,
): Promise<Database & { url: string }> {
  const url = kind === 'sqlite' ? sqliteFile() : await postgresDatabase()
  const database = openDatabase(url)
  await migrateToLatest(database, composeHub(modules).migrations)
  return Object.assign(database, { url })
}

function sqliteFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-'))
  return path.join(dir, 'hub.sqlite')
}

async function postgresDatabase(): Promise<string> {
  const admin = process.env.TEST_POSTGRES_URL
  if (!admin) {
    throw new Error(
      'TEST_POSTGRES_URL is not set: run the tests with `npm test`, which starts a PostgreSQL server',
    )
  }
  const name = `hub_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  try {
    await client.query(`create database ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(admin)
  url.pathname = `/${name}`
  return url.toString()
}
