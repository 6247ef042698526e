import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import { PatientSqliteDialect } from './sqlite-driver.ts'

/** A sync of the write-ahead log that waits until the test lets it finish (or fail). */
class Gate {
  calls = 0
  private waiting: { resolve: () => void; reject: (e: Error) => void }[] = []
  sync = (_fd: number) =>
    new Promise<void>((resolve, reject) => {
      this.calls++
      this.waiting.push({ resolve, reject })
    })
  open() {
    for (const w of this.waiting.splice(0)) w.resolve()
  }
  fail() {
    for (const w of this.waiting.splice(0)) w.reject(new Error('EIO'))
  }
}

const tick = () => new Promise((r) => setTimeout(r, 10))

// Commits acknowledged only once on disk, with the disk's wait off the event loop (sqlite-driver.ts).
describe('SQLite durable commits', () => {
  let dir: string
  let gate: Gate
  // biome-ignore lint/suspicious/noExplicitAny: a scratch table outside the Hub's schema
  let db: Kysely<any>
  let sqlite: SqliteDatabase.Database

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-durable-'))
    sqlite = new SqliteDatabase(path.join(dir, 'hub.sqlite'))
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    gate = new Gate()
    db = new Kysely({ dialect: new PatientSqliteDialect(sqlite, 1000, gate.sync) })
    const made = sql`create table notes (id text primary key)`.execute(db)
    await tick()
    gate.open()
    await made
  })
  after(async () => {
    gate.open()
    await db.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const insert = (tx: Kysely<unknown> | typeof db, id: string) =>
    (tx as typeof db).insertInto('notes').values({ id }).execute()
  const settled = (p: Promise<unknown>) => {
    const state = { done: false }
    const done = () => {
      state.done = true
    }
    p.then(done, done)
    return state
  }

  test('a commit is acknowledged after a sync that began after it; the connection is free meanwhile; commits made during a sync share the next', async () => {
    const before = gate.calls
    const first = settled(db.transaction().execute((tx) => insert(tx, 'a')))
    await tick()
    assert.equal(gate.calls, before + 1, 'the log is synced after the commit')
    assert.equal(first.done, false, 'not acknowledged before the sync ends')
    // The connection is not held while the disk works: a read answers, and two more transactions commit.
    const rows = await db.selectFrom('notes').select('id').execute()
    assert.deepEqual(
      rows.map((r) => r.id),
      ['a'],
    )
    const second = db.transaction().execute((tx) => insert(tx, 'b'))
    const third = db.transaction().execute((tx) => insert(tx, 'c'))
    const [secondState, thirdState] = [settled(second), settled(third)]
    await tick()
    assert.equal(gate.calls, before + 1, 'no sync starts while one is under way')
    gate.open()
    await tick()
    assert.equal(first.done, true)
    assert.equal(secondState.done || thirdState.done, false, 'the sync under way began before them')
    assert.equal(gate.calls, before + 2, 'both share the next sync')
    gate.open()
    await Promise.all([second, third])
  })

  test('a write outside a transaction is acknowledged once on disk too, without holding the connection', async () => {
    const write = settled(insert(db, 'd'))
    await tick()
    assert.equal(write.done, false)
    const read = await db.selectFrom('notes').select('id').where('id', '=', 'd').execute()
    assert.equal(read.length, 1)
    gate.open()
    await tick()
    assert.equal(write.done, true)
  })

  test('when the disk fails the sync, the commits waiting on it fail, and the next commits go on', async () => {
    const failing = db.transaction().execute((tx) => insert(tx, 'e'))
    await tick()
    gate.fail()
    await assert.rejects(failing, /EIO/)
    const next = db.transaction().execute((tx) => insert(tx, 'f'))
    await tick()
    gate.open()
    await next
    assert.equal(sqlite.inTransaction, false)
  })
})
