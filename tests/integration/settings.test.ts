import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { MODULES } from '#modules/index.ts'
import { platformSettings } from '#platform/config.ts'
import { APP_ROOT } from '#tests/support/hub.ts'

const README = fs.readFileSync(path.join(APP_ROOT, 'README.md'), 'utf8')

test("every setting, the platform's and each module's, is in the README's configuration table", () => {
  const keys = [
    ...Object.keys(platformSettings.shape),
    ...MODULES.flatMap((m) => Object.keys(m.settings?.shape ?? {})),
  ]
  assert.deepEqual(
    keys.filter((key) => !README.includes(`| \`${key}\` |`)),
    [],
  )
})

test("each module's setting says what it is for", () => {
  for (const m of MODULES) {
    for (const [key, schema] of Object.entries(m.settings?.shape ?? {})) {
      assert.ok((schema as { description?: string }).description, `${m.name}: ${key} has no description`)
    }
  }
})

test('the README tells a newcomer which Node.js versions, and that commands need the server’s DATABASE_URL', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8'))
  const least = String(pkg.engines.node).replace('>=', '')
  assert.match(
    README,
    new RegExp(
      `Node\\.js ${least.replace('.', '\\.')} or later \\(the suite is run on Node\\.js \\d+\\.\\d+`,
    ),
  )
  assert.match(
    README,
    /Every `npm run hub -- \.\.\.` command opens the database itself: run it with the same `DATABASE_URL`/,
  )
  // The first administrator is told how to give themselves the other roles, as the staff home says.
  assert.match(README, /give yourself the roles for them/)
})
