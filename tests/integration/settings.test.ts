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
