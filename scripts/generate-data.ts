/**
 * Fictional data in bulk, for the benchmark and for trying the Hub at scale:
 *
 *   DATABASE_URL=./data/big.sqlite npx tsx scripts/generate-data.ts --referrals 100000 --services 5000
 *
 * Migrates the database and loads the reference data first (as `npm run hub -- migrate`), then adds N
 * referrals (with their people, one request per need in every state, and their history, spread over the
 * boroughs and the last year) and N directory services (with partner organisations, places with access
 * features and opening hours, taxonomy terms, languages and times). Rows go into the app's own tables
 * in batched multi-row inserts inside transactions (referrals and the audit trail, the millions, through
 * generate/bulk.ts: unnest on PostgreSQL; their plain indexes made again after the load), with the
 * modules' own rules: references from the referrals module, postcodes from its postcode table, teams
 * from its routing.
 * Everything is made up: names from short lists, phone numbers from Ofcom's drama ranges,
 * addresses at example.com. Generated referrals have no audit rows or notifications: nobody sent them.
 * `--audit-rows N` adds an audit trail of N rows of its own (staff viewing and searching), chained and
 * signed with AUDIT_KEY, so that `npm run hub -- verify-audit` passes on it. The same --seed gives the
 * same data.
 */

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { MODULES } from '#modules/index.ts'
import { composeHub } from '#platform/compose.ts'
import { buildApp } from '../src/app.ts'
import { loadRules } from '../src/modules/referrals/rules.ts'
import { listBoroughs } from '../src/platform/boroughs.ts'
import { loadConfig } from '../src/platform/config.ts'
import { type Database, DEFAULT_LIMITS, openDatabase } from '../src/platform/database.ts'
import { migrateToLatest } from '../src/platform/migrate.ts'
import { generateActions } from './generate/actions.ts'
import { generateAudit } from './generate/audit.ts'
import { withIndexesAfter } from './generate/bulk.ts'
import { generateDevices } from './generate/devices.ts'
import { generateHomeLibrary } from './generate/home-library.ts'
import { type Random, randomFrom } from './generate/random.ts'
import { generateReferrals } from './generate/referrals.ts'
import { generateServices } from './generate/services.ts'
import { generateSessions } from './generate/sessions.ts'

export interface GenerateOptions {
  referrals: number
  services: number
  /** Home Library members and their visits in all (about a hundred each). */
  homeLibraryMembers?: number
  homeLibraryVisits?: number
  /** Digital help session dates and their bookings in all. */
  sessions?: number
  sessionBookings?: number
  /** Audit rows, chained and signed with `auditKey` (the Hub's AUDIT_KEY, or `verify-audit` fails). */
  auditRows?: number
  auditKey?: string
  /** Partnership actions, with their meetings, owners and organisations. */
  actions?: number
  /** Devices and SIM cards, and their loans and gifts in all. */
  devices?: number
  deviceLoans?: number
  seed?: number
  appRoot?: string
}

export interface Generated {
  referrals: number
  needs: number
  people: number
  services: number
  places: number
  homeLibrary: { members: number; visits: number }
  sessions: { sessions: number; bookings: number }
  auditRows: number
  actions: { meetings: number; actions: number }
  devices: { devices: number; loans: number }
  ms: number
}

/** The tables of the referrals and their people, made by the million: indexed after (withIndexesAfter). */
const REFERRAL_TABLES = [
  'people',
  'referrals',
  'referral_search_words',
  'referral_needs',
  'referral_events',
] as const

/** Fills an open, migrated database that has its reference data (see `prepareDatabase`). */
export async function generateData(database: Database, opts: GenerateOptions): Promise<Generated> {
  const started = performance.now()
  if (database.dialect === 'sqlite') {
    // This connection only: a bigger page cache for the indexes, and no fsync per batch (data made
    // again in seconds if the machine fails; closing the database checkpoints it to disk).
    await sql`pragma cache_size = -262144`.execute(database.db)
    await sql`pragma synchronous = off`.execute(database.db)
  }
  const random: Random = randomFrom(opts.seed ?? 20_260_101)
  const codes = (await listBoroughs(database.db)).map((b) => b.code)
  const rules = loadRules(opts.appRoot ?? process.cwd(), codes)
  const referrals = await withIndexesAfter(database.db, database.dialect, REFERRAL_TABLES, () =>
    generateReferrals(database.db, database.dialect, opts.referrals, random, rules),
  )
  const services = await generateServices(database.db, opts.services, random, rules)
  const homeLibrary = await generateHomeLibrary(
    database.db,
    opts.homeLibraryMembers ?? 0,
    opts.homeLibraryVisits ?? 0,
    random,
  )
  const sessions = await generateSessions(database.db, opts.sessions ?? 0, opts.sessionBookings ?? 0, random)
  if (opts.auditRows && !opts.auditKey) throw new Error('Audit rows need the AUDIT_KEY they are signed with')
  const auditRows = await withIndexesAfter(database.db, database.dialect, ['audit_events'], () =>
    generateAudit(database.db, database.dialect, opts.auditRows ?? 0, opts.auditKey ?? '', random),
  )
  const actions = await generateActions(database.db, opts.actions ?? 0, random)
  const devices = await generateDevices(database.db, opts.devices ?? 0, opts.deviceLoans ?? 0, random)
  // A PostgreSQL database in use has its planner's statistics and visibility map from autovacuum; a
  // fresh load has neither until autovacuum comes round, in the middle of whatever is measured next.
  if (database.dialect === 'postgres') await sql`vacuum analyze`.execute(database.db)
  return {
    ...referrals,
    ...services,
    homeLibrary,
    sessions,
    actions,
    devices,
    auditRows,
    ms: performance.now() - started,
  }
}

/** Migrates and loads the reference data (boroughs, libraries, taxonomy), as the Hub does at start. */
export async function prepareDatabase(env: Record<string, string | undefined>): Promise<Database> {
  const { migrations, settings } = composeHub(MODULES)
  const config = loadConfig({ ...env, WORKER: 'off', LOG_LEVEL: 'silent' }, settings)
  // No statement of a bulk load is a request's: making an index over millions of rows, or the vacuum
  // after, takes minutes, where the app's limit is seconds.
  const database = openDatabase(config.DATABASE_URL, { ...DEFAULT_LIMITS, statementTimeoutMs: 6 * 3_600_000 })
  await migrateToLatest(database, migrations)
  const hub = await buildApp({ config, database, logger: false })
  await hub.loadReferenceData()
  await hub.app.close()
  return database
}

/** Bytes of a SQLite database with its WAL, or null for PostgreSQL. */
export function sqliteBytes(file: string): number | null {
  if (/^postgres(ql)?:\/\//.test(file)) return null
  return [file, `${file}-wal`, `${file}-shm`].reduce(
    (sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0),
    0,
  )
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      referrals: { type: 'string', default: '0' },
      services: { type: 'string', default: '0' },
      'home-library-members': { type: 'string', default: '0' },
      'home-library-visits': { type: 'string', default: '0' },
      'audit-rows': { type: 'string', default: '0' },
      seed: { type: 'string' },
    },
  })
  const count = (name: string, v: string | undefined) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, 0 or more`)
    return n
  }
  const opts: GenerateOptions = {
    referrals: count('referrals', values.referrals),
    services: count('services', values.services),
    homeLibraryMembers: count('home-library-members', values['home-library-members']),
    homeLibraryVisits: count('home-library-visits', values['home-library-visits']),
    auditRows: count('audit-rows', values['audit-rows']),
    auditKey: process.env.AUDIT_KEY,
    seed: values.seed === undefined ? undefined : count('seed', values.seed),
  }
  const database = await prepareDatabase(process.env)
  try {
    const g = await generateData(database, opts)
    console.log(
      `Generated ${g.referrals} referrals (${g.needs} requests, ${g.people} people) and ${g.services} services ` +
        `(${g.places} places), ${g.homeLibrary.members} Home Library members (${g.homeLibrary.visits} visits), ` +
        `${g.auditRows} audit rows ` +
        `in ${(g.ms / 1000).toFixed(1)} s`,
    )
  } finally {
    await database.close()
  }
  const bytes = sqliteBytes(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }).DATABASE_URL)
  if (bytes !== null) console.log(`Database size: ${(bytes / 1024 / 1024).toFixed(1)} MB`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
