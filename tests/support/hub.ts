import path from 'node:path'
import { MODULES, type ModuleServices, servicesOf } from '#modules/index.ts'
import { composeHub } from '#platform/compose.ts'
import { type Config, loadConfig } from '#platform/config.ts'
import { type Database, openDatabase } from '#platform/database.ts'
import type { ModuleManifest } from '#platform/module.ts'
import { buildApp, type Hub } from '../../src/app.ts'
import { type DialectName, freshDatabase } from './databases.ts'

export const APP_ROOT = path.resolve(import.meta.dirname, '../..')

export function testConfig(
  overrides: Record<string, string> = {},
  modules: ModuleManifest[] = MODULES,
): Config {
  return loadConfig(
    { NODE_ENV: 'test', APP_ROOT, LOG_LEVEL: 'silent', WORKER: 'off', ...overrides },
    composeHub(modules).settings,
  )
}

export interface TestHub extends Hub, ModuleServices {
  database: Database & { url: string }
  close(): Promise<void>
}

/**
 * The real app on a fresh database of the given kind, with reference data loaded: the registry's
 * modules, or the list a test brings. The registry's services are at hand by name (`hub.referrals`).
 */
export async function testHub(
  kind: DialectName,
  overrides: Record<string, string> = {},
  modules: ModuleManifest[] = MODULES,
): Promise<TestHub> {
  const database = await freshDatabase(kind, modules)
  const config = testConfig({ DATABASE_URL: database.url, ...overrides }, modules)
  const hub = await buildApp({ config, database, logger: false, modules })
  await hub.loadReferenceData()
  await hub.app.ready()
  return {
    ...hub,
    ...servicesOf(hub),
    database,
    async close() {
      await hub.app.close()
      await database.close()
    },
  }
}

/**
 * A second app process on the same database as `hub`: its own connections, and its own of everything a
 * process holds in memory (the directory's snapshot, the page cache). Closing it leaves `hub` running.
 */
export async function anotherProcess(hub: TestHub): Promise<TestHub> {
  const database = Object.assign(openDatabase(hub.database.url), { url: hub.database.url })
  const other = await buildApp({
    config: testConfig({ DATABASE_URL: database.url }),
    database,
    logger: false,
  })
  await other.app.ready()
  return {
    ...other,
    ...servicesOf(other),
    database,
    async close() {
      await other.app.close()
      await database.close()
    },
  }
}
