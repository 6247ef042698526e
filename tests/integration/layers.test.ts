import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { test } from 'node:test'

const MODULES = join(import.meta.dirname, '../../src/modules')

/** Kysely's query builders and its `sql` template: how a file writes SQL. */
const SQL = [
  /\.(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\(/,
  /\bsql(<[^>`]*>)?`/,
  /\bsql\.(raw|ref|table|id|lit|val|join)\(/,
]

/**
 * Where a module may write SQL. Repositories hold all of it; migrations are schema changes by nature;
 * tests arrange and inspect the database directly.
 */
const MAY_WRITE_SQL = [/\.repository\.ts$/, /(^|\/)migrations\//, /\.test\.ts$/]

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return filesUnder(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

test('no SQL outside repositories: services, routes and helpers call a repository function', () => {
  const files = filesUnder(MODULES).map((path) => ({
    name: relative(MODULES, path),
    text: readFileSync(path, 'utf8'),
  }))
  const writesSql = (text: string) => SQL.some((pattern) => pattern.test(text))
  const allowed = files.filter((f) => MAY_WRITE_SQL.some((p) => p.test(f.name)))
  // The check must see SQL where it is: otherwise a broken pattern would pass everything.
  assert.ok(allowed.filter((f) => /\.repository\.ts$/.test(f.name) && writesSql(f.text)).length >= 3)
  const offenders = files.filter((f) => !allowed.includes(f) && writesSql(f.text)).map((f) => f.name)
  assert.deepEqual(offenders, [], `move this SQL into the module's *.repository.ts: ${offenders.join(', ')}`)
})
