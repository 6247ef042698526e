import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { MODULES } from '#modules/index.ts'
import { composeHub } from '#platform/compose.ts'
import { APP_ROOT } from '#tests/support/hub.ts'

/**
 * The module boundaries, checked on the source: the platform knows no module, and a module reaches
 * another only through what that module's index.ts exports.
 */
const SRC = path.join(APP_ROOT, 'src')
const composition = composeHub(MODULES)

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .flatMap((e) => (e.isFile() && e.name.endsWith('.ts') ? [path.join(e.parentPath, e.name)] : []))
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8')
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)].map((m) => m[1] as string)
}

const isTest = (file: string) => file.endsWith('.test.ts') || path.basename(file) === 'testing.ts'

describe('the platform knows no module', () => {
  const files = sourceFiles(path.join(SRC, 'platform'))
  const moduleWords = new Set<string>()
  for (const [name, p] of composition.permissions) if (p.module !== 'platform') moduleWords.add(name)
  for (const [table, t] of composition.personalData) if (t.module !== 'platform') moduleWords.add(table)
  for (const m of MODULES) for (const key of Object.keys(m.settings?.shape ?? {})) moduleWords.add(key)

  test('no file under src/platform imports a module', () => {
    const offenders = files.flatMap((f) =>
      imports(f)
        .filter((s) => s.startsWith('#modules/') || s.includes('/modules/'))
        .map((s) => `${path.relative(APP_ROOT, f)} imports ${s}`),
    )
    assert.deepEqual(offenders, [])
  })

  test("no file under src/platform names a module's permission, table or setting", () => {
    const offenders: string[] = []
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8')
      for (const [, quoted] of text.matchAll(/['"]([\w.-]+)['"]/g)) {
        if (quoted && moduleWords.has(quoted))
          offenders.push(`${path.relative(APP_ROOT, file)} names ${quoted}`)
      }
      for (const word of moduleWords) {
        if (/^[A-Z_]+$/.test(word) && text.includes(word))
          offenders.push(`${path.relative(APP_ROOT, file)} reads ${word}`)
      }
    }
    assert.deepEqual(offenders, [])
  })
})

describe('a module imports only the platform, its own files and other modules’ index.ts', () => {
  for (const m of MODULES) {
    test(m.name, () => {
      const folder = path.join(APP_ROOT, m.folder)
      const offenders: string[] = []
      for (const file of sourceFiles(folder)) {
        for (const specifier of imports(file)) {
          if (!specifier.startsWith('.') && !specifier.startsWith('#')) continue // a package
          if (specifier.startsWith('#platform/')) continue
          if (specifier.startsWith('#tests/') && isTest(file)) continue
          const target = specifier.startsWith('#modules/')
            ? path.join(SRC, 'modules', specifier.slice('#modules/'.length))
            : path.resolve(path.dirname(file), specifier)
          if (target.startsWith(folder + path.sep)) continue
          if (target === path.join(SRC, 'modules', 'index.ts') && isTest(file)) continue
          // Another module: its manifest's exports, or (from a test) its test data builders.
          const name = path.basename(target)
          if (name === 'index.ts' || (isTest(file) && name === 'testing.ts')) continue
          offenders.push(`${path.relative(APP_ROOT, file)} imports ${specifier}`)
        }
      }
      assert.deepEqual(offenders, [])
    })
  }
})
