import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { MODULES } from '#modules/index.ts'
import { composeHub } from '#platform/compose.ts'
import type { Database } from '#platform/database.ts'
import { registerGaps } from '#platform/personal-data.ts'
import { exampleModule } from '#tests/fixtures/example-module/index.ts'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'

/**
 * Subject access, erasure and retention will be built on the register of personal data, so every column
 * of every table must be classified: a migration that adds one the register does not name fails here.
 */
for (const kind of DIALECTS) {
  describe(`the register of personal data, on ${kind}`, () => {
    const open: Database[] = []
    after(() => Promise.all(open.map((d) => d.close())))

    test('classifies every column of every table the migrations make, and names nothing else', async () => {
      const database = await freshDatabase(kind)
      open.push(database)
      assert.deepEqual(await registerGaps(database.db, composeHub(MODULES).personalData), [])
    })

    test('names a module whose migration adds a column its register leaves out', async () => {
      const modules = [...MODULES, exampleModule]
      const database = await freshDatabase(kind, modules)
      open.push(database)
      const register = new Map(composeHub(modules).personalData)
      const notes = register.get('example_notes')
      assert.ok(notes)
      const { person_name: _left, ...others } = notes.columns
      register.set('example_notes', { ...notes, columns: others })
      assert.deepEqual(await registerGaps(database.db, register), [
        'example_notes.person_name (not classified)',
      ])
    })
  })
}

test('every special-category column belongs to a table about a resident, erased or expiring', () => {
  for (const [table, entry] of composeHub(MODULES).personalData) {
    const special = Object.entries(entry.columns).filter(([, kind]) => kind === 'special-category')
    if (!special.length) continue
    assert.equal(entry.about, 'resident', table)
    assert.ok(['delete', 'anonymise', 'expires', 'with-parent'].includes(entry.erasure), table)
  }
})
