import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, beforeEach, describe, test } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import { sql } from 'kysely'
import { type Database, openDatabase } from './database.ts'

// Group commit on SQLite (sqlite-driver.ts): transactions that end while others wait share one commit.
describe('SQLite group commit', () => {
  let dir: string
  let database: Database
  // biome-ignore lint/suspicious/noExplicitAny: scratch tables outside the Hub's schema
  let db: any
  /** Another connection to the same file: it sees only what is committed, as a restarted process would. */
  let other: SqliteDatabase.Database

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-group-commit-'))
    const file = path.join(dir, 'hub.sqlite')
    database = openDatabase(file)
    db = database.db
    await sql`create table parents (id text primary key)`.execute(db)
    await sql`create table notes (id text primary key, parent_id text
      references parents (id) deferrable initially deferred)`.execute(db)
    other = new SqliteDatabase(file, { readonly: true })
  })
  after(async () => {
    other.close()
    await database.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    await sql`delete from notes`.execute(db)
  })

  const committed = () =>
    (other.prepare('select id from notes order by id').all() as { id: string }[]).map((r) => r.id)
  const insert = (tx: typeof db, id: string, parent: string | null = null) =>
    tx.insertInto('notes').values({ id, parent_id: parent }).execute()

  test('a transaction waiting for the commit of its group is not acknowledged before it, nor visible', async () => {
    let firstResolved = false
    let seenDuringSecond: string[] = []
    let second: Promise<void> | undefined
    const first = db
      .transaction()
      .execute(async (tx: typeof db) => {
        await insert(tx, 'a')
        // Queued for the connection while the first holds it: the first joins a group and waits.
        second = db.transaction().execute(async (tx2: typeof db) => {
          await insert(tx2, 'b')
          await new Promise((r) => setTimeout(r, 20))
          seenDuringSecond = committed()
          assert.equal(firstResolved, false, 'the first is not acknowledged before the shared commit')
        })
      })
      .then(() => {
        firstResolved = true
      })
    await first
    await second
    assert.deepEqual(seenDuringSecond, [], 'nothing of the group was on disk while it was open')
    assert.deepEqual(committed(), ['a', 'b'])
  })

  test('a failing transaction in a group rolls back alone; the others are committed', async () => {
    const results = await Promise.allSettled(
      ['c', 'd', 'e', 'f', 'g'].map((id) =>
        db.transaction().execute(async (tx: typeof db) => {
          await insert(tx, id)
          if (id === 'e') throw new Error('refused')
          await insert(tx, `${id}2`)
        }),
      ),
    )
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    )
    assert.deepEqual(committed(), ['c', 'c2', 'd', 'd2', 'f', 'f2', 'g', 'g2'])
  })

  test('a commit that fails fails every transaction of its group, and keeps none of them', async () => {
    // A deferred foreign key is checked at the commit: the second transaction's row breaks it.
    const results = await Promise.allSettled([
      db.transaction().execute((tx: typeof db) => insert(tx, 'h')),
      db.transaction().execute((tx: typeof db) => insert(tx, 'i', 'no such parent')),
      db.transaction().execute((tx: typeof db) => insert(tx, 'j')),
    ])
    assert.ok(results.every((r) => r.status === 'rejected'))
    assert.deepEqual(committed(), [])
    // The connection is whole afterwards.
    await db.transaction().execute((tx: typeof db) => insert(tx, 'k'))
    assert.deepEqual(committed(), ['k'])
  })

  test('a write outside a transaction is never acknowledged before transactions queued ahead of it', async () => {
    let seenAfterWrite: string[] = []
    await Promise.all([
      db.transaction().execute((tx: typeof db) => insert(tx, 'l')),
      db.transaction().execute((tx: typeof db) => insert(tx, 'm')),
      insert(db, 'n').then(() => {
        seenAfterWrite = committed()
      }),
    ])
    assert.deepEqual(seenAfterWrite, ['l', 'm', 'n'])
  })
})
