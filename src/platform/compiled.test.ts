import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { loadBoroughs } from './boroughs.ts'
import { compiledOnce } from './compiled.ts'
import type { Database } from './database.ts'

const codesNamed = compiledOnce((db, name: string, codes: readonly string[] | null) => {
  let q = db.selectFrom('boroughs').select('code').where('name', '!=', name)
  if (codes) q = q.where('code', 'in', codes)
  return q.orderBy('code')
})

for (const dialect of DIALECTS) {
  describe(`queries compiled once on ${dialect}`, () => {
    let database: Database

    before(async () => {
      database = await freshDatabase(dialect)
      await loadBoroughs(database.db)
    })
    after(() => database.close())

    const codes = async (...params: Parameters<typeof codesNamed>) =>
      (await codesNamed(...params)).map((r) => r.code)

    test('each call runs with its own parameters, whatever the shape of the lists and nulls', async () => {
      const { db } = database
      assert.deepEqual(await codes(db, 'nowhere', null), ['rbkc', 'wcc'])
      assert.deepEqual(await codes(db, 'Westminster City Council', null), ['rbkc'])
      assert.deepEqual(await codes(db, 'nowhere', ['wcc']), ['wcc'])
      assert.deepEqual(await codes(db, 'nowhere', ['rbkc']), ['rbkc'])
      assert.deepEqual(await codes(db, 'nowhere', ['rbkc', 'wcc']), ['rbkc', 'wcc'])
    })

    test('runs inside a transaction too', async () => {
      const found = await database.db.transaction().execute((tx) => codes(tx, 'nowhere', ['wcc']))
      assert.deepEqual(found, ['wcc'])
    })

    test('a parameter the query does not use is refused', async () => {
      const unused = compiledOnce((db, _code: string) => db.selectFrom('boroughs').select('code'))
      await assert.rejects(unused(database.db, 'rbkc'), /did not reach/)
    })
  })
}
