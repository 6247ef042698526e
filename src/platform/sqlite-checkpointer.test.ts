import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import SqliteDatabase from 'better-sqlite3'
import { sql } from 'kysely'
import { type Database, DEFAULT_LIMITS, openDatabase } from './database.ts'
import { startCheckpointer } from './sqlite-checkpointer.ts'

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-checkpoint-'))
after(() => fs.rmSync(folder, { recursive: true, force: true }))

let files = 0
async function openWithCheckpointer(): Promise<{ database: Database; file: string }> {
  const file = path.join(folder, `hub-${++files}.sqlite`)
  const database = openDatabase(file, DEFAULT_LIMITS, { checkpointInBackground: true })
  await sql`create table blobs (id integer primary key, data blob not null)`.execute(database.db)
  return { database, file }
}

/** Writes `kb` kilobytes in one commit. */
const write = (database: Database, kb: number) =>
  sql`insert into blobs (data) values (randomblob(${kb * 1024}))`.execute(database.db)

async function until(check: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !check(); await sleep(20))
    if (Date.now() - started > 5000) assert.fail(`${what} within 5 s`)
}

const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0)

describe('SQLite checkpoints on a thread of their own', () => {
  test('copy what was committed into the database file, far below the point where a commit would', async () => {
    const { database, file } = await openWithCheckpointer()
    const before = sizeOf(file)
    await write(database, 1024) // 256 pages: a commit checkpoints only at 10,000
    await until(() => sizeOf(file) > before + 1024 * 1024, 'the megabyte copied into the file')
    await database.close()
  })

  test('let the log start again from the top while writes go on, so it stays small', async () => {
    const { database, file } = await openWithCheckpointer()
    for (let i = 0; i < 40; i++) {
      await write(database, 100)
      await sleep(60)
    }
    // 4 MB written: a log that never started again would hold all of it.
    assert.ok(sizeOf(`${file}-wal`) < 1024 * 1024, `log of ${sizeOf(`${file}-wal`)} bytes`)
    await database.close()
  })

  test('stop with the database: nothing holds the log once it is closed', async () => {
    const { database, file } = await openWithCheckpointer()
    await write(database, 64)
    await database.close()
    // The last connection to close removes the log: the thread's connection is gone too.
    assert.equal(fs.existsSync(`${file}-wal`), false)
  })

  test('a thread that fails gives checkpoints back to the connection that commits', async () => {
    const sqlite = new SqliteDatabase(':memory:')
    const warnings: string[] = []
    const warned = (warning: Error) => warnings.push(warning.message)
    process.on('warning', warned)
    const checkpointer = startCheckpointer(sqlite, path.join(folder, 'missing', 'hub.sqlite'))
    assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 10_000)
    await until(() => warnings.length > 0, 'a warning')
    process.off('warning', warned)
    assert.match(warnings[0] ?? '', /checkpoints are back on the main thread/)
    assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 1000)
    await checkpointer.stop()
    sqlite.close()
  })
})
