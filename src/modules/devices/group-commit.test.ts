import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { Database, Db, Executor } from '#platform/database.ts'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { groupCommit } from './group-commit.ts'

/** Group commit, on a table of the test's own: pieces asked at once share a transaction; one failing fails alone. */
for (const dialect of DIALECTS) {
  describe(`group commit on ${dialect}`, () => {
    let database: Database
    let transactions = 0
    let db: Pick<Db, 'transaction'>

    before(async () => {
      database = await freshDatabase(dialect)
      await sql`create table group_commit_test (id text primary key)`.execute(database.db)
      // The database's transactions, counted.
      db = {
        transaction: () => {
          transactions++
          return database.db.transaction()
        },
      }
    })
    after(() => database.close())

    const insert = (tx: Executor, id: string) =>
      sql`insert into group_commit_test (id) values (${id})`.execute(tx)
    const saved = async (prefix: string) =>
      (
        await sql<{
          id: string
        }>`select id from group_commit_test where id like ${`${prefix}%`} order by id`.execute(database.db)
      ).rows.map((r) => r.id)

    test('pieces asked at once share one transaction, and each is answered once it is committed', async () => {
      const together = groupCommit(db)
      transactions = 0
      const ids = Array.from({ length: 10 }, (_, i) => `shared-${i}`)
      const answers = await Promise.all(
        ids.map((id) =>
          together.run(async (tx) => {
            await insert(tx, id)
            return id
          }),
        ),
      )
      assert.deepEqual(answers, ids)
      assert.equal(transactions, 1)
      assert.deepEqual(await saved('shared-'), ids)
    })

    test('one that fails is refused with its own reason and leaves nothing; the others are committed', async () => {
      const together = groupCommit(db)
      const results = await Promise.allSettled(
        [0, 1, 2, 3, 4].map((i) =>
          together.run(async (tx) => {
            await insert(tx, `failing-${i}`)
            if (i === 2) throw new Error('refused: two')
            return i
          }),
        ),
      )
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
        [0, 1, 'refused: two', 3, 4],
      )
      assert.deepEqual(await saved('failing-'), ['failing-0', 'failing-1', 'failing-3', 'failing-4'])
    })

    test('the same row twice at once: the first asked wins, the second is refused by the database', async () => {
      const together = groupCommit(db)
      const results = await Promise.allSettled(
        ['twice', 'twice', 'once'].map((id) => together.run((tx) => insert(tx, id))),
      )
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      )
      assert.deepEqual(await saved('twice'), ['twice'])
      assert.deepEqual(await saved('once'), ['once'])
    })

    test('one asked alone has a transaction of its own, as many times as it is asked', async () => {
      const together = groupCommit(db)
      transactions = 0
      await together.run((tx) => insert(tx, 'alone-1'))
      await together.run((tx) => insert(tx, 'alone-2'))
      assert.equal(transactions, 2)
      assert.deepEqual(await saved('alone-'), ['alone-1', 'alone-2'])
    })
  })
}
